import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { serveThumbnail, storeThumbnail } from "~/.server/assets/download.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The asset's thumbnail (asset.view), or 404",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 200: { description: "The image", contentType: "image/jpeg" } },
  },
  PUT: {
    summary: "Set the thumbnail (asset.upload): a JPEG, PNG or WebP of at most 2 MiB",
    tags: ["Assets"],
    params: AssetParamsSchema,
    rawBody: { contentType: "image/jpeg", description: "The image bytes (JPEG, PNG or WebP; checked by content)" },
    responses: { 204: { description: "Stored" }, 413: { description: "Over 2 MiB" }, 415: { description: "Not an accepted image" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return serveThumbnail(context, assetId, request);
}

export const action = methodAction({
  PUT: async ({ request, params, context }) => {
    const { assetId } = parseParams(params, api.PUT.params);
    await storeThumbnail(context, assetId, request);
    return noContent();
  },
});
