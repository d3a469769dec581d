import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { verifyAudit } from "~/.server/audit/read.server";
import { json } from "~/.server/http/errors.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AuditVerifySchema } from "~/schemas/audit";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Recompute the audit log's hash chain",
    description: "`firstBadSeq` names the first event whose content, link or position does not match.",
    tags: ["Audit"],
    responses: { 200: { description: "The result", schema: AuditVerifySchema } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json(await verifyAudit(context));
}
