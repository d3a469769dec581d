import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { serveOriginal } from "~/.server/assets/download.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { z } from "zod";
import { AssetParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The original file (asset.download_original)",
    description:
      "Supports Range (206, 416), ETag/If-None-Match (304) and If-Range. Content-Disposition carries the name per " +
      "RFC 6266 with an RFC 5987 filename*. `disposition=inline` lets browsers play video/audio/images in place.",
    tags: ["Assets"],
    params: AssetParamsSchema,
    query: z.object({ disposition: z.enum(["attachment", "inline"]).default("attachment") }),
    responses: {
      200: { description: "The bytes", contentType: "application/octet-stream" },
      206: { description: "The requested range", contentType: "application/octet-stream" },
      416: { description: "Range not satisfiable" },
    },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  const { disposition } = parseQuery(request, api.GET.query);
  return serveOriginal(context, assetId, request, disposition);
}
