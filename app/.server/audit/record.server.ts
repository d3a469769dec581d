import { rawStatement } from "../db/raw-statement.server";
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { KuraContext } from "../context";
import type { KuraEnv } from "../env/env";
import { auditOutbox } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
import type { Principal } from "~/policy/access";
import { toWire, type AuditActorType, type AuditEventInput, type AuditOutcome } from "./chain";

/**
 * Recording audit events (ADR 0008). A domain function that changes data puts
 * `auditInsert(...)` into the same `db.batch` as the change, so the event
 * commits or fails with it; `flushAudit` then moves the tenant's pending
 * events into its AuditLog Durable Object before the response is sent.
 */

export type AuditContext = Pick<KuraContext, "env" | "principal" | "clientIp" | "userAgent" | "logger">;

export type AuditDraft = {
  action: string;
  target: { type: string; id: string | null; name?: string | null };
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
  /** Defaults to the signed-in principal. */
  actor?: { type: AuditActorType; id: string | null; email?: string | null };
  /**
   * For a change made by a conditional statement (e.g. an insert guarded by
   * the quota): the event is written only if this SQL condition holds when
   * its turn in the batch comes, so a refused change leaves no event.
   */
  onlyIf?: SQL;
};

export function actorOf(principal: Principal): AuditEventInput["actor"] {
  switch (principal.type) {
    case "tenant_user":
      return { type: "user", id: principal.userId, email: principal.email };
    case "operator":
      return { type: "operator", id: null, email: null };
    case "anonymous":
      return { type: "user", id: null, email: null };
  }
}

export function auditEvent(ctx: Omit<AuditContext, "env" | "logger">, draft: AuditDraft): AuditEventInput {
  return {
    id: crypto.randomUUID(),
    at: new Date().toISOString(),
    actor: draft.actor ?? actorOf(ctx.principal),
    action: draft.action,
    target: draft.target,
    ip: ctx.clientIp,
    userAgent: ctx.userAgent?.slice(0, 300) ?? null,
    outcome: draft.outcome ?? "success",
    details: draft.details ?? null,
  };
}

/** The outbox row for an event: put it into the same batch as the change it records. */
export function auditInsert(data: TenantData, event: AuditEventInput) {
  return data.db.insert(auditOutbox).values({ id: event.id, tenantId: data.tenantId, event: JSON.stringify(event) });
}

/** Like auditInsert, but only when `condition` holds at that point of the batch. */
export function auditInsertIf(data: TenantData, event: AuditEventInput, condition: SQL) {
  return rawStatement(data.db, 
    sql`INSERT INTO ${auditOutbox} (id, tenant_id, event) SELECT ${event.id}, ${data.tenantId}, ${JSON.stringify(event)} WHERE ${condition}`,
  );
}

export function auditLogOf(env: KuraEnv, tenantId: string) {
  return env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenantId));
}

const FLUSH_BATCH = 100;

/**
 * Moves the tenant's pending events, oldest first, into its log and removes
 * them from the outbox. Appends are idempotent per event id, so two
 * concurrent flushes, or a crash between append and delete, add nothing
 * twice. A failure leaves the rows for the next flush; it is logged, never
 * thrown, because the action itself has already happened.
 */
export async function flushAudit(ctx: Pick<AuditContext, "env" | "logger">, data: TenantData): Promise<boolean> {
  try {
    for (;;) {
      const rows = await data.db
        .select()
        .from(auditOutbox)
        .where(eq(auditOutbox.tenantId, data.tenantId))
        .orderBy(asc(auditOutbox.createdAt), asc(auditOutbox.id))
        .limit(FLUSH_BATCH)
        .all();
      if (rows.length === 0) return true;
      const events = rows.map((r) => toWire(JSON.parse(r.event) as AuditEventInput));
      await auditLogOf(ctx.env, data.tenantId).append(events);
      await data.db
        .delete(auditOutbox)
        .where(and(eq(auditOutbox.tenantId, data.tenantId), inArray(auditOutbox.id, rows.map((r) => r.id))))
        .run();
      if (rows.length < FLUSH_BATCH) return true;
    }
  } catch (error) {
    ctx.logger.error("audit flush failed; events stay in the outbox", { tenantId: data.tenantId, error: String(error) });
    return false;
  }
}

/**
 * For events that accompany no data change (failed logins, denials, reads
 * such as downloads): the event alone goes into the outbox, then is flushed.
 */
export async function recordAudit(ctx: AuditContext, data: TenantData, draft: AuditDraft): Promise<void> {
  await auditInsert(data, auditEvent(ctx, draft)).run();
  await flushAudit(ctx, data);
}

type Statement = BatchItem<"sqlite">;

/**
 * Runs the statements of a change and the outbox rows of its events as one
 * D1 batch (one transaction), then flushes the events to the log. Returns
 * the statements' own results.
 */
export async function commitAudited<T extends readonly [Statement, ...Statement[]]>(
  ctx: AuditContext,
  data: TenantData,
  statements: T,
  drafts: AuditDraft | AuditDraft[],
): Promise<BatchResponse<T>> {
  const events = (Array.isArray(drafts) ? drafts : [drafts]).map((d) =>
    d.onlyIf ? auditInsertIf(data, auditEvent(ctx, d), d.onlyIf) : auditInsert(data, auditEvent(ctx, d)),
  );
  const results = (await data.db.batch([...statements, ...events] as unknown as readonly [Statement, ...Statement[]])) as readonly unknown[];
  await flushAudit(ctx, data);
  return results.slice(0, statements.length) as BatchResponse<T>;
}
