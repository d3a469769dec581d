import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { exportAuditForOperator } from "~/.server/audit/read.server";
import { contentDisposition } from "~/.server/http/content-disposition.server";
import { fail } from "~/.server/http/errors.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AuditExportQuerySchema } from "~/schemas/audit";
import { TenantIdParamsSchema } from "~/schemas/tenant";

export const access = allow.operator();

const EvidenceQuerySchema = AuditExportQuerySchema.extend({
  reference: z.string().trim().min(3).max(200).describe("The legal request or case this export answers (recorded in the tenant's log)"),
});

export const api = defineApi({
  GET: {
    summary: "Export a tenant's audit log as evidence (for a legal request)",
    description:
      "Streams the log oldest first. The export is recorded first in the tenant's own log and in the operator audit log (tenant.audit_exported) " +
      "(operator.audit_exported, with the reference). Target names and details are left out: they are customer " +
      "content, which operators never read; ids, actions, actors, times, IPs and the hash chain remain.",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    query: EvidenceQuerySchema,
    responses: { 200: { description: "The file", contentType: "text/csv" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, api.GET.params);
  const query = parseQuery(request, api.GET.query);
  const file = await exportAuditForOperator(context, tenantId, query);
  if (!file) fail("not_found", "No such active tenant.");
  return new Response(file.stream, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "Cache-Control": "no-store",
    },
  });
}
