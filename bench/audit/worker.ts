/**
 * Audit log benchmark worker. `/kura/*` drives the real AuditLog Durable
 * Object; `/floor/*` drives FloorLog, which runs only the bare SQL on the same
 * schema (a plain INSERT without the id check and hash chain; the same SELECT
 * for reads), so the ratio between them is the cost of Kura's own work.
 */
import { DurableObject } from "cloudflare:workers";
import { toWire, type AuditEventWire } from "../../app/.server/audit/chain";
import { AuditLog } from "../../workers/audit-log";

export { AuditLog };

type Env = { AUDIT_LOG: DurableObjectNamespace<AuditLog>; FLOOR: DurableObjectNamespace<FloorLog> };

export class FloorLog extends DurableObject {
  private readonly sql: SqlStorage;
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, at TEXT NOT NULL,
      actor_type TEXT, actor_id TEXT, actor_email TEXT, action TEXT, target_type TEXT, target_id TEXT, target_name TEXT,
      ip TEXT, user_agent TEXT, outcome TEXT, details TEXT, prev_hash TEXT, hash TEXT);
      CREATE INDEX IF NOT EXISTS events_action ON events (action, seq);`);
  }
  async append(events: AuditEventWire[]): Promise<number> {
    for (const e of events) {
      this.sql.exec(
        "INSERT INTO events (event_id, at, actor_type, actor_id, actor_email, action, target_type, target_id, target_name, ip, user_agent, outcome, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')",
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
      );
    }
    return events.length;
  }
  async query(action: string, limit: number): Promise<number> {
    return this.sql.exec("SELECT * FROM events WHERE action = ? ORDER BY seq DESC LIMIT ?", action, limit).toArray().length;
  }
}

const ACTIONS = ["auth.login", "asset.downloaded", "asset.updated", "share.accessed", "auth.login_failed"];

function events(count: number, start: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    return toWire({
      id: crypto.randomUUID(),
      at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
      actor: { type: "user", id: `usr_${n % 97}`, email: `user${n % 97}@bench.example` },
      action: ACTIONS[n % ACTIONS.length]!,
      target: { type: "asset", id: `ast_${n}`, name: `渋谷ロケ_${n}.mov` },
      ip: "203.0.113.7",
      userAgent: "bench",
      outcome: "success",
      details: { n, bytes: n * 1024 },
    });
  });
}

/**
 * `writers` concurrent writers inside one Worker invocation, each appending
 * one event per call until `total` events are in: the object's own append
 * rate, without the HTTP client in the way.
 */
async function burst(append: (e: AuditEventWire[]) => Promise<unknown>, writers: number, total: number): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const n = next++;
        if (n >= total) return;
        await append(events(1, n));
      }
    }),
  );
  return Date.now() - started;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const [, which, op] = url.pathname.split("/");
    const tenant = url.searchParams.get("tenant") ?? "bench";
    const count = Number(url.searchParams.get("count") ?? "1");
    const start = Number(url.searchParams.get("start") ?? "0");
    const writers = Number(url.searchParams.get("writers") ?? "200");
    if (op === "burst") {
      const target = which === "kura" ? env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenant)) : env.FLOOR.get(env.FLOOR.idFromName(tenant));
      return Response.json({ ms: await burst((e) => target.append(e), writers, count) });
    }
    if (which === "kura") {
      const log = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenant));
      if (op === "append") return Response.json((await log.append(events(count, start))).seqs.length);
      if (op === "query") {
        const page = await log.query({ action: url.searchParams.get("action") ?? "auth.login", limit: 50 });
        return Response.json(page.items.length);
      }
      if (op === "verify") return Response.json(await log.verify());
    }
    if (which === "floor") {
      const floor = env.FLOOR.get(env.FLOOR.idFromName(tenant));
      if (op === "append") return Response.json(await floor.append(events(count, start)));
      if (op === "query") return Response.json(await floor.query(url.searchParams.get("action") ?? "auth.login", 50));
    }
    return new Response("not found", { status: 404 });
  },
};
