import { rawStatement } from "../db/raw-statement.server";
import { and, asc, eq, lt, sql, type SQL } from "drizzle-orm";
import { chunked, inJsonArray, rowsPerInsert } from "../db/chunks.server";
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
 * commits or fails with it; the request then moves its own events into the
 * tenant's AuditLog Durable Object before the response is sent, and
 * `flushAudit` sweeps whatever a failed delivery left behind.
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

/**
 * The outbox rows of many events (a bulk change records one per asset), as
 * few multi-row inserts as D1's 100 parameters allow (ADR 0016).
 */
function auditInserts(data: TenantData, events: readonly AuditEventInput[]) {
  return chunked(events, rowsPerInsert(auditOutbox)).map((part) =>
    data.db.insert(auditOutbox).values(part.map((event) => ({ id: event.id, tenantId: data.tenantId, event: JSON.stringify(event) }))),
  );
}

/** Like auditInsert, but only when `condition` holds at that point of the batch. */
export function auditInsertIf(data: TenantData, event: AuditEventInput, condition: SQL) {
  return rawStatement(
    data.db,
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
        .where(
          and(
            eq(auditOutbox.tenantId, data.tenantId),
            inJsonArray(
              auditOutbox.id,
              rows.map((r) => r.id),
            ),
          ),
        )
        .run();
      if (rows.length < FLUSH_BATCH) return true;
    }
  } catch (error) {
    ctx.logger.error("audit flush failed; events stay in the outbox", { tenantId: data.tenantId, error: String(error) });
    return false;
  }
}

/** A row still in the outbox this long after its commit was left by a failed delivery. */
const STRANDED_AFTER_MS = 30_000;

/**
 * Moves the events a request has just committed into the log, then removes
 * their outbox rows. Only the request's own events: with many concurrent
 * requests, each sweeping the whole outbox would append the same rows
 * hundreds of times over. In the same round trip as the delete, it looks
 * for rows stranded by an earlier failed delivery and, if there are any,
 * sweeps them too. A failure is logged, never thrown: the action itself has
 * happened, and its rows stay for the next sweep.
 */
async function deliverAudit(ctx: Pick<AuditContext, "env" | "logger">, data: TenantData, events: AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await auditLogOf(ctx.env, data.tenantId).append(events.map(toWire));
    const strandedBefore = new Date(Date.now() - STRANDED_AFTER_MS).toISOString();
    const [, stranded] = await data.db.batch([
      data.db.delete(auditOutbox).where(
        and(
          eq(auditOutbox.tenantId, data.tenantId),
          inJsonArray(
            auditOutbox.id,
            events.map((e) => e.id),
          ),
        ),
      ),
      data.db
        .select({ id: auditOutbox.id })
        .from(auditOutbox)
        .where(and(eq(auditOutbox.tenantId, data.tenantId), lt(auditOutbox.createdAt, strandedBefore)))
        .limit(1),
    ]);
    if (stranded.length > 0) await flushAudit(ctx, data);
  } catch (error) {
    ctx.logger.error("audit delivery failed; events stay in the outbox", { tenantId: data.tenantId, error: String(error) });
  }
}

/**
 * For events that accompany no data change (failed logins, denials, reads
 * such as downloads): the event alone goes into the outbox, then into the log.
 */
export async function recordAudit(ctx: AuditContext, data: TenantData, draft: AuditDraft): Promise<void> {
  const event = auditEvent(ctx, draft);
  await auditInsert(data, event).run();
  await deliverAudit(ctx, data, [event]);
}

type Statement = BatchItem<"sqlite">;

/**
 * Runs the statements of a change and the outbox rows of its events as one
 * D1 batch (one transaction), then delivers the events to the log. Returns
 * the statements' own results.
 */
export async function commitAudited<T extends readonly [Statement, ...Statement[]]>(
  ctx: AuditContext,
  data: TenantData,
  statements: T,
  drafts: AuditDraft | AuditDraft[],
): Promise<BatchResponse<T>> {
  const list = Array.isArray(drafts) ? drafts : [drafts];
  const events = list.map((d) => auditEvent(ctx, d));
  const inserts = [
    ...list.flatMap((d, i) => (d.onlyIf ? [auditInsertIf(data, events[i]!, d.onlyIf)] : [])),
    ...auditInserts(
      data,
      events.filter((_, i) => !list[i]!.onlyIf),
    ),
  ];
  // A conditional event may not have been written; the same transaction says which were.
  const conditional = events.filter((_, i) => list[i]!.onlyIf).map((e) => e.id);
  const written =
    conditional.length > 0
      ? [
          data.db
            .select({ id: auditOutbox.id })
            .from(auditOutbox)
            .where(and(eq(auditOutbox.tenantId, data.tenantId), inJsonArray(auditOutbox.id, conditional))),
        ]
      : [];
  const results = (await data.db.batch([...statements, ...inserts, ...written] as unknown as readonly [Statement, ...Statement[]])) as readonly unknown[];
  const present = conditional.length > 0 ? new Set((results.at(-1) as { id: string }[]).map((r) => r.id)) : null;
  await deliverAudit(
    ctx,
    data,
    events.filter((e, i) => !list[i]!.onlyIf || present!.has(e.id)),
  );
  return results.slice(0, statements.length) as BatchResponse<T>;
}
