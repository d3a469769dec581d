import { DurableObject } from "cloudflare:workers";
import { chainHash, fromWire, GENESIS_HASH, type AuditEventWire, type AuditEventWireStored } from "../app/.server/audit/chain";

/**
 * One instance per tenant (idFromName(tenantId)), SQLite storage backend: the
 * tenant's audit log. The object is single-threaded and every append runs in
 * one synchronous SQLite transaction, so events get a gap-free `seq` and each
 * is chained to the one before it (app/.server/audit/chain.ts), however many
 * requests append at once.
 */

export type AuditQuery = {
  action?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Newest first: only events with seq below this. */
  beforeSeq?: number | undefined;
  limit: number;
};

export type AuditRange = {
  action?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  afterSeq?: number | undefined;
  limit: number;
};

export type AuditVerification = { ok: boolean; count: number; firstBadSeq: number | null; headHash: string };

type Row = {
  seq: number;
  event_id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  target_name: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  details: string | null;
  prev_hash: string;
  hash: string;
};

function toEvent(r: Row): AuditEventWireStored {
  return {
    seq: r.seq,
    id: r.event_id,
    at: r.at,
    actor: { type: r.actor_type as AuditEventWireStored["actor"]["type"], id: r.actor_id, email: r.actor_email },
    action: r.action,
    target: { type: r.target_type, id: r.target_id, name: r.target_name },
    ip: r.ip,
    userAgent: r.user_agent,
    outcome: r.outcome as AuditEventWireStored["outcome"],
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const VERIFY_CHUNK = 2000;

export class AuditLog extends DurableObject {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql = ctx.storage.sql;
    this.ensureSchema();
  }

  /** Append-only by construction: no method of this class updates an event. */
  private ensureSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        actor_type TEXT NOT NULL,
        actor_id TEXT,
        actor_email TEXT,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT,
        target_name TEXT,
        ip TEXT,
        user_agent TEXT,
        outcome TEXT NOT NULL,
        details TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS events_action ON events (action, seq);
      CREATE INDEX IF NOT EXISTS events_actor ON events (actor_id, seq);
      CREATE INDEX IF NOT EXISTS events_at ON events (at);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  async ping(): Promise<{ ok: true }> {
    // Touches the SQLite engine so a broken storage backend fails the probe.
    this.sql.exec("SELECT 1").one();
    return { ok: true };
  }

  private meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** The newest event's seq and hash; after retention, the anchor stands for deleted ones. */
  private head(): { seq: number; hash: string } {
    const last = this.sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").toArray()[0];
    if (last) return last;
    return { seq: Number(this.meta("anchor_seq") ?? "0"), hash: this.meta("anchor_hash") ?? GENESIS_HASH };
  }

  /** The chain's head, for a backup's consistent cut (ADR 0025): events up to it are dumped. */
  async chainHead(): Promise<{ seq: number; hash: string }> {
    return this.head();
  }

  /**
   * Appends a batch atomically and in order. An event whose id is already in
   * the log is not added again (a retried delivery): its existing seq is
   * returned instead.
   */
  async append(events: AuditEventWire[]): Promise<{ seqs: number[]; headHash: string }> {
    return this.ctx.storage.transactionSync(() => {
      let { seq, hash } = this.head();
      const seqs: number[] = [];
      for (const e of events) {
        const existing = this.sql.exec<{ seq: number }>("SELECT seq FROM events WHERE event_id = ?", e.id).toArray()[0];
        if (existing) {
          seqs.push(existing.seq);
          continue;
        }
        seq += 1;
        const next = chainHash(hash, seq, fromWire(e));
        this.sql.exec(
          `INSERT INTO events (seq, event_id, at, actor_type, actor_id, actor_email, action, target_type, target_id,
             target_name, ip, user_agent, outcome, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          seq,
          e.id,
          e.at,
          e.actor.type,
          e.actor.id,
          e.actor.email ?? null,
          e.action,
          e.target.type,
          e.target.id,
          e.target.name ?? null,
          e.ip,
          e.userAgent,
          e.outcome,
          e.details,
          hash,
          next,
        );
        seqs.push(seq);
        hash = next;
      }
      return { seqs, headHash: hash };
    });
  }

  /** Newest first, filtered; `beforeSeq` is the cursor. */
  async query(q: AuditQuery): Promise<{ items: AuditEventWireStored[]; nextBeforeSeq: number | null }> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    addFilters(where, args, q);
    if (q.beforeSeq !== undefined) {
      where.push("seq < ?");
      args.push(q.beforeSeq);
    }
    const rows = this.sql
      .exec<Row>(`SELECT * FROM events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`, ...args, q.limit + 1)
      .toArray();
    const items = rows.slice(0, q.limit).map(toEvent);
    return { items, nextBeforeSeq: rows.length > q.limit ? (items.at(-1)?.seq ?? null) : null };
  }

  /** Oldest first, for exports: one page after `afterSeq`. */
  async range(r: AuditRange): Promise<AuditEventWireStored[]> {
    const where = ["seq > ?"];
    const args: (string | number)[] = [r.afterSeq ?? 0];
    addFilters(where, args, r);
    return this.sql
      .exec<Row>(`SELECT * FROM events WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`, ...args, r.limit)
      .toArray()
      .map(toEvent);
  }

  /**
   * Recomputes the whole chain from the anchor: every stored field must hash
   * to the stored hash, every prevHash must be the previous hash, and seq
   * must have no gap. The first event that fails is reported.
   */
  async verify(): Promise<AuditVerification> {
    let expectedPrev = this.meta("anchor_hash") ?? GENESIS_HASH;
    let expectedSeq = Number(this.meta("anchor_seq") ?? "0") + 1;
    let count = 0;
    let after = 0;
    for (;;) {
      const rows = this.sql.exec<Row>("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", after, VERIFY_CHUNK).toArray();
      if (rows.length === 0) break;
      for (const row of rows) {
        const event = fromWire(toEvent(row));
        const bad = row.seq !== expectedSeq || row.prev_hash !== expectedPrev || chainHash(expectedPrev, row.seq, event) !== row.hash;
        if (bad) return { ok: false, count, firstBadSeq: row.seq, headHash: this.head().hash };
        count += 1;
        expectedPrev = row.hash;
        expectedSeq += 1;
        after = row.seq;
      }
    }
    return { ok: true, count, firstBadSeq: null, headHash: expectedPrev };
  }

  /**
   * Retention: deletes whole days before `beforeDay` (YYYY-MM-DD, UTC). The
   * hash and seq of the last deleted event become the anchor, so the chain
   * of what is kept still verifies.
   */
  async deleteDaysBefore(beforeDay: string): Promise<{ deleted: number }> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(beforeDay)) throw new Error("beforeDay must be YYYY-MM-DD");
    const cutoff = `${beforeDay}T00:00:00.000Z`;
    return this.ctx.storage.transactionSync(() => {
      const last = this.sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM events WHERE at < ? ORDER BY seq DESC LIMIT 1", cutoff).toArray()[0];
      if (!last) return { deleted: 0 };
      // Only a prefix of the chain can go: everything up to the last old event.
      const deleted = this.sql.exec("DELETE FROM events WHERE seq <= ?", last.seq).rowsWritten;
      this.setMeta("anchor_seq", String(last.seq));
      this.setMeta("anchor_hash", last.hash);
      return { deleted };
    });
  }

  /** How many events the log holds (a purge counts them before it deletes them). */
  async eventCount(): Promise<number> {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events").one().n;
  }

  /** Physical deletion at contract end (offboarding): the whole log. */
  async destroy(): Promise<{ deleted: number }> {
    const count = await this.eventCount();
    await this.ctx.storage.deleteAll();
    this.ensureSchema();
    return { deleted: count };
  }
}

/** The action, actor and time-range conditions shared by a page query and an export range. */
function addFilters(
  where: string[],
  args: (string | number)[],
  f: { action?: string | undefined; actorId?: string | undefined; from?: string | undefined; to?: string | undefined },
) {
  const conditions: [string, string | undefined][] = [
    ["action = ?", f.action],
    ["actor_id = ?", f.actorId],
    ["at >= ?", f.from],
    ["at < ?", f.to],
  ];
  for (const [clause, value] of conditions) {
    if (!value) continue;
    where.push(clause);
    args.push(value);
  }
}
