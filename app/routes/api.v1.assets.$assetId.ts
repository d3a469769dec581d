import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteAsset, getAsset, updateAsset } from "~/.server/assets/assets.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema, AssetSchema, UpdateAssetBodySchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "An asset (asset.view)",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 200: { description: "The asset", schema: AssetSchema } },
  },
  PATCH: {
    summary: "Rename, move, tag, label or set metadata (asset.edit_metadata)",
    description: "Metadata values are checked against their field types (400 names each bad key). Tags replace the asset's tags.",
    tags: ["Assets"],
    params: AssetParamsSchema,
    body: UpdateAssetBodySchema,
    responses: { 200: { description: "The asset", schema: AssetSchema } },
  },
  DELETE: {
    summary: "Delete an asset with its stored objects (asset.delete)",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 204: { description: "Deleted; usage goes down" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return json(await getAsset(context, assetId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { assetId } = parseParams(params, api.PATCH.params);
    return json(await updateAsset(context, assetId, await parseJsonBody(request, api.PATCH.body)));
  },
  DELETE: async ({ params, context }) => {
    const { assetId } = parseParams(params, api.DELETE.params);
    await deleteAsset(context, assetId);
    return noContent();
  },
});
