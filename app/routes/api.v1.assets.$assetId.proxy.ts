import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { serveProxy } from "~/.server/assets/thumbnails.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Download the asset's preview (proxy), not the original (asset.download_proxy)",
    description: "The low-resolution preview the server derived, as an attachment; never the thumbnail. 404 until one exists (ADR 0011, ADR 0019).",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 200: { description: "The preview", contentType: "video/mp4" }, 404: { description: "No proxy (yet)" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return serveProxy(context, assetId, request);
}
