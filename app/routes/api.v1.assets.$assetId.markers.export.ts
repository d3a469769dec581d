import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { contentDisposition } from "~/.server/http/content-disposition.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { exportMarkers } from "~/.server/review/markers.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";
import { MarkerExportQuerySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Export the asset's markers as CSV or as an EDL (asset.view)",
    description:
      "CSV: UTF-8 with a byte-order mark, CRLF, every cell quoted and formula-safe; frames, timecodes from the asset's start timecode, " +
      "text, colour, author, replies. EDL: CMX 3600 with DaVinci Resolve's marker comments (`|C:ResolveColor… |M:… |D:…`), " +
      "drop frame where the asset's timecode is.",
    tags: ["Review"],
    params: AssetParamsSchema,
    query: MarkerExportQuerySchema,
    responses: { 200: { description: "The file", contentType: "text/csv" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  const { format } = parseQuery(request, api.GET.query);
  const file = await exportMarkers(context, assetId, format);
  return new Response(file.body, {
    headers: { "Content-Type": file.contentType, "Content-Disposition": contentDisposition(file.filename), "Cache-Control": "no-store" },
  });
}
