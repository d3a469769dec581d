import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { serveProxy } from "~/.server/assets/download.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Download the asset's preview (proxy), not the original (asset.download_proxy)",
    description: "The derived preview as an attachment: today the still made at upload; 404 when none exists (ADR 0011).",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 200: { description: "The preview", contentType: "image/jpeg" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return serveProxy(context, assetId, request);
}
