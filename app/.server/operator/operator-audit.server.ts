import { desc, lt } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { operatorAudit } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import { newId } from "../ids/ids";
import type { OperatorPrincipal, Principal } from "~/policy/access";

/**
 * The operator audit log (ADR 0027), in the control plane: every operator action, by a console
 * account or by the API's bearer token, with ids and numbers only (never customer content). Actions
 * that touch a tenant are also recorded in that tenant's own log by the domain function. Reads are
 * recorded where they show people's data beyond the contract's admin contact: the sent mail
 * (`outbox.viewed`) and a tenant's audit log exported as evidence (`tenant.audit_exported`).
 */
export type OperatorAction =
  | "operator.signed_in"
  | "operator.signed_out"
  | "operator.created"
  | "operator.disabled"
  | "tenant.created"
  | "tenant.terminated"
  | "tenant.restored"
  | "tenant.moved"
  | "tenant.contract_updated"
  | "jobs.backup_run"
  | "jobs.purge_run"
  | "announcement.created"
  | "outbox.viewed"
  | "tenant.audit_exported";

export async function recordOperatorAction(
  ctx: { env: KuraEnv; principal: Principal; clientIp: string | null },
  event: { action: OperatorAction; targetType?: string; targetId?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  const account = ctx.principal.type === "operator" ? (ctx.principal as OperatorPrincipal).account : undefined;
  await controlDb(ctx.env)
    .insert(operatorAudit)
    .values({
      id: newId("operatorEvent"),
      at: new Date().toISOString(),
      operatorId: account?.id ?? null,
      actor: account ? `console:${account.email}` : "api_token",
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
      ip: ctx.clientIp,
    })
    .run();
}

/** Newest first, `limit` at a time before `before` (an ISO time). */
export async function operatorAuditPage(env: KuraEnv, page: { limit: number; before?: string | undefined }) {
  const rows = await controlDb(env)
    .select()
    .from(operatorAudit)
    .where(page.before ? lt(operatorAudit.at, page.before) : undefined)
    .orderBy(desc(operatorAudit.at))
    .limit(page.limit)
    .all();
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}
