import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { exportAudit } from "~/.server/audit/read.server";
import { contentDisposition } from "~/.server/http/content-disposition.server";
import { parseQuery } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AuditExportQuerySchema } from "~/schemas/audit";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Export the audit log (CSV or JSON Lines), oldest first, streamed",
    description:
      "CSV: UTF-8 with a byte-order mark, CRLF, every cell quoted; cells starting with = + - @ tab or CR get a " +
      "leading apostrophe so spreadsheets do not run them as formulas.",
    tags: ["Audit"],
    query: AuditExportQuerySchema,
    responses: {
      200: { description: "The file", contentType: "text/csv" },
    },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = parseQuery(request, api.GET.query);
  const file = await exportAudit(context, query);
  return new Response(file.stream, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "Cache-Control": "no-store",
    },
  });
}
