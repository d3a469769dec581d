import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { listAudit } from "~/.server/audit/read.server";
import { json } from "~/.server/http/errors.server";
import { parseQuery } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AuditItemSchema, AuditQuerySchema } from "~/schemas/audit";
import { pageOf } from "~/schemas/common";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "The tenant's audit log, newest first",
    description: "`seq` is gap-free per tenant; each event carries the SHA-256 chain hash of itself and its predecessor.",
    tags: ["Audit"],
    query: AuditQuerySchema,
    responses: { 200: { description: "A page of events", schema: pageOf(AuditItemSchema) } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await listAudit(context, parseQuery(request, api.GET.query)));
}
