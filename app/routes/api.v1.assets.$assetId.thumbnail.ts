import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { serveThumbnail, storeThumbnail } from "~/.server/assets/thumbnails.server";
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
    summary: "Set the thumbnail: the asset's uploader (asset.upload) or an editor (asset.edit_metadata)",
    description:
      "A JPEG, PNG or WebP still of at most 256 KiB and 512 px on its long side, sent with its own Content-Type " +
      "(checked against the bytes, whose header and structure are decoded). Counts in the tenant's usage. 409 when the " +
      "server made the asset's thumbnail, or another one is being stored (ADR 0019).",
    tags: ["Assets"],
    params: AssetParamsSchema,
    rawBody: { contentType: "image/jpeg", description: "The image bytes (JPEG, PNG or WebP; checked by content)" },
    responses: {
      204: { description: "Stored" },
      400: { description: "Over 512 px on the long side" },
      409: { description: "Made by the server, or another write in progress" },
      413: { description: "Over 256 KiB" },
      415: { description: "Not a complete JPEG, PNG or WebP of the declared type" },
    },
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
