import type { KuraContext } from "../context";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import { eventFacts, fromWire, type AuditEvent } from "./chain";
import { auditLogOf, flushAudit, recordAudit } from "./record.server";
import { systemTenantData } from "../db/tenant-data.server";
import { recordOperatorAction } from "../operator/operator-audit.server";
import { csvCell } from "../csv/csv.server";

type Ctx = Pick<KuraContext, "env" | "principal" | "logger">;

/** The contract's audit item. */
export function auditItem(e: AuditEvent) {
  return {
    seq: e.seq,
    at: e.at,
    actor: { type: e.actor.type, id: e.actor.id, email: e.actor.email ?? null },
    action: e.action,
    target: { type: e.target.type, id: e.target.id, name: e.target.name ?? null },
    ip: e.ip,
    userAgent: e.userAgent,
    outcome: e.outcome,
    details: e.details ?? null,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

/** Readers see everything recorded so far: pending outbox rows are moved first. */
async function openLog(ctx: Ctx): Promise<{ data: TenantData; log: ReturnType<typeof auditLogOf> }> {
  const data = await tenantData(ctx);
  await flushAudit(ctx, data);
  return { data, log: auditLogOf(ctx.env, data.tenantId) };
}

export async function listAudit(
  ctx: Ctx,
  q: {
    action?: string | undefined;
    actorId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const { log } = await openLog(ctx);
  const beforeSeq = q.cursor ? Number(decodeCursor(q.cursor, ["seq"]).seq) : undefined;
  const page = await log.query({ action: q.action, actorId: q.actorId, from: q.from, to: q.to, limit: q.limit, beforeSeq });
  return {
    items: page.items.map((e) => auditItem(fromWire(e))),
    nextCursor: page.nextBeforeSeq === null ? null : encodeCursor({ seq: String(page.nextBeforeSeq) }),
  };
}

export async function verifyAudit(ctx: Ctx) {
  const { log } = await openLog(ctx);
  return log.verify();
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

const CSV_COLUMNS = [
  "seq",
  "at",
  "actor_type",
  "actor_id",
  "actor_email",
  "action",
  "target_type",
  "target_id",
  "target_name",
  "ip",
  "user_agent",
  "outcome",
  "details",
  "prev_hash",
  "hash",
] as const;

/**
 * What the operator's evidence export leaves out: names and free-form
 * details are customer content (an asset's or project's name), which the
 * operator never reads. Ids, actions, actors, times, IPs and hashes remain,
 * and the chain can still be checked against the tenant's own export.
 */
function withoutContent(e: AuditEvent): AuditEvent {
  return { ...e, target: { type: e.target.type, id: e.target.id, name: null }, details: null };
}

function csvRow(e: AuditEvent): string {
  const cells = [e.seq, ...eventFacts(e), e.details ? JSON.stringify(e.details) : null, e.prevHash, e.hash];
  return cells.map(csvCell).join(",") + "\r\n";
}

const EXPORT_PAGE = 500;

/**
 * Streams the log oldest first, page by page from the Durable Object, so an
 * export of any size never sits in memory. CSV is UTF-8 with a byte-order
 * mark (Excel then reads Japanese correctly) and CRLF line ends.
 */
export async function exportAudit(ctx: Ctx, q: ExportQuery): Promise<AuditFile> {
  const { data, log } = await openLog(ctx);
  return streamExport(log, data.tenant.slug, q, (e) => e);
}

type ExportQuery = {
  format: "csv" | "jsonl";
  action?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};
type AuditFile = { stream: ReadableStream<Uint8Array>; filename: string; contentType: string };

/**
 * The operator's export of a tenant's log for a legal request. The export
 * itself is recorded first (operator.audit_exported), so it appears in the
 * very file it produces and in everything the tenant's admins see later.
 */
export async function exportAuditForOperator(
  ctx: Pick<KuraContext, "env" | "logger" | "principal" | "clientIp" | "userAgent">,
  tenantId: string,
  q: ExportQuery & { reference: string },
): Promise<AuditFile | null> {
  const data = await systemTenantData(ctx.env, tenantId);
  if (!data) return null;
  await recordAudit(ctx, data, {
    action: "operator.audit_exported",
    actor: { type: "operator", id: null, email: null },
    target: { type: "tenant", id: tenantId, name: null },
    details: { reference: q.reference, format: q.format, from: q.from ?? null, to: q.to ?? null },
  });
  await recordOperatorAction(ctx, {
    action: "tenant.audit_exported",
    targetType: "tenant",
    targetId: tenantId,
    details: { reference: q.reference, format: q.format, from: q.from ?? null, to: q.to ?? null },
  });
  return streamExport(auditLogOf(ctx.env, tenantId), `${data.tenant.slug}-evidence`, q, withoutContent);
}

function streamExport(log: ReturnType<typeof auditLogOf>, name: string, q: ExportQuery, shape: (e: AuditEvent) => AuditEvent): AuditFile {
  const encoder = new TextEncoder();
  let afterSeq = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (q.format === "csv") controller.enqueue(encoder.encode(`\uFEFF${CSV_COLUMNS.join(",")}\r\n`));
      }
      const range = { action: q.action, actorId: q.actorId, from: q.from, to: q.to, afterSeq, limit: EXPORT_PAGE };
      const page = (await log.range(range)).map((e) => shape(fromWire(e)));
      if (page.length === 0) {
        controller.close();
        return;
      }
      afterSeq = page.at(-1)!.seq;
      const text = page.map((e) => (q.format === "csv" ? csvRow(e) : JSON.stringify(auditItem(e)) + "\n")).join("");
      controller.enqueue(encoder.encode(text));
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return {
    stream,
    filename: `audit-${name}-${day}.${q.format}`,
    contentType: q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
  };
}
