import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { streamProxy } from "~/.server/media/media.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Play the asset's proxy inline, with Range (asset.view)",
    description: "The H.264/AAC (or AAC) preview the transcoder made; never the original. 404 until it exists.",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: {
      200: { description: "The proxy", contentType: "video/mp4" },
      206: { description: "The requested range", contentType: "video/mp4" },
      404: { description: "No proxy (yet)" },
    },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return streamProxy(context, assetId, request);
}
