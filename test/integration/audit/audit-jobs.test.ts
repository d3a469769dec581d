import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../../workers/index";
import { describe, expect, it } from "vitest";
import { toWire, type AuditEventInput } from "~/.server/audit/chain";
import { call, operator } from "../../support/http";
import { auditTail, buildWorld, expectJson } from "../../support/world";
import { shardOf } from "../../support/shards";

async function runCron(at: Date) {
  const controller = createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

function stranded(tenantId: string, action: string, at = new Date()): AuditEventInput & { tenantId: string } {
  return {
    tenantId,
    id: crypto.randomUUID(),
    at: at.toISOString(),
    actor: { type: "system", id: null, email: null },
    action,
    target: { type: "tenant", id: tenantId, name: null },
    ip: null,
    userAgent: null,
    outcome: "success",
    details: null,
  };
}

describe("audit jobs", () => {
  it("the scheduled job moves events a failed flush left in the outbox into the log", async () => {
    const w = await buildWorld("job-drain");
    const db = await shardOf(w.tenantA.id);
    const e = stranded(w.tenantA.id, "test.stranded_event");
    await db.prepare("INSERT INTO audit_outbox (id, tenant_id, event) VALUES (?, ?, ?)").bind(e.id, e.tenantId, JSON.stringify(e)).run();
    expect((await auditTail(w.tenantA.id, 5)).map((x) => x.action)).not.toContain("test.stranded_event");
    await runCron(new Date());
    expect((await auditTail(w.tenantA.id, 5)).map((x) => x.action)).toContain("test.stranded_event");
    expect((await db.prepare("SELECT COUNT(*) AS n FROM audit_outbox WHERE tenant_id = ?").bind(w.tenantA.id).first<{ n: number }>())?.n).toBe(0);
  }, 60_000);

  it("an audited request delivers its own event and sweeps rows a failed delivery stranded, but leaves fresh ones of others", async () => {
    const w = await buildWorld("job-strand");
    const db = await shardOf(w.tenantA.id);
    const old = stranded(w.tenantA.id, "test.stranded_old");
    const fresh = stranded(w.tenantA.id, "test.pending_fresh");
    await db.batch([
      db
        .prepare("INSERT INTO audit_outbox (id, tenant_id, event, created_at) VALUES (?, ?, ?, ?)")
        .bind(old.id, old.tenantId, JSON.stringify(old), new Date(Date.now() - 60_000).toISOString()),
      db.prepare("INSERT INTO audit_outbox (id, tenant_id, event) VALUES (?, ?, ?)").bind(fresh.id, fresh.tenantId, JSON.stringify(fresh)),
    ]);
    await expectJson(call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "sweeper" } }), 201);
    const tail = (await auditTail(w.tenantA.id, 10)).map((x) => x.action);
    expect(tail).toContain("auth.token_created");
    expect(tail).toContain("test.stranded_old");
    // The sweep takes everything pending, oldest first, once it runs at all.
    expect(tail).toContain("test.pending_fresh");
    expect(tail.indexOf("test.stranded_old")).toBeGreaterThan(tail.indexOf("test.pending_fresh"));
    expect((await db.prepare("SELECT COUNT(*) AS n FROM audit_outbox WHERE tenant_id = ?").bind(w.tenantA.id).first<{ n: number }>())?.n).toBe(0);
  }, 60_000);

  it("without stranded rows, a request moves only its own events (a fresh row of another request stays for its owner)", async () => {
    const w = await buildWorld("job-own");
    const db = await shardOf(w.tenantA.id);
    const fresh = stranded(w.tenantA.id, "test.pending_fresh");
    await db.prepare("INSERT INTO audit_outbox (id, tenant_id, event) VALUES (?, ?, ?)").bind(fresh.id, fresh.tenantId, JSON.stringify(fresh)).run();
    await expectJson(call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "own only" } }), 201);
    const tail = (await auditTail(w.tenantA.id, 10)).map((x) => x.action);
    expect(tail[0]).toBe("auth.token_created");
    expect(tail).not.toContain("test.pending_fresh");
    expect((await db.prepare("SELECT id FROM audit_outbox WHERE tenant_id = ?").bind(w.tenantA.id).all<{ id: string }>()).results.map((r) => r.id)).toEqual([
      fresh.id,
    ]);
  }, 60_000);

  it("applies retention by whole days and the chain still verifies", async () => {
    const w = await buildWorld("job-retention");
    const log = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(w.tenantA.id));
    // The world's own events are from today; pretend the job runs 401 days from now.
    const later = new Date(Date.now() + 401 * 86_400_000);
    await log.append([toWire(stranded(w.tenantA.id, "test.recent", new Date(later.getTime() - 86_400_000)))]);
    const before = await log.verify();
    await runCron(later);
    const after = await log.verify();
    expect(after.ok).toBe(true);
    expect(after.count).toBe(1);
    expect(before.count).toBeGreaterThan(1);
    expect((await auditTail(w.tenantA.id, 5)).map((x) => x.action)).toEqual(["test.recent"]);
    const verified = await expectJson<{ ok: boolean }>(call("/api/v1/audit/verify", { token: w.users.tenantAdmin.token }), 200);
    expect(verified.ok).toBe(true);
  }, 60_000);
});

describe("operator evidence export", () => {
  it("exports the tenant's log without customer content, and the export is itself recorded", async () => {
    const w = await buildWorld("evidence");
    await expectJson(w.asAdmin("/api/v1/groups", { method: "POST", json: { name: "極秘プロジェクト班" } }), 201);
    const res = await operator(`/api/v1/operator/tenants/${w.tenantA.id}/audit/export?format=jsonl&reference=LR-2026-0042`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain("audit-evidence-a-evidence");
    const text = new TextDecoder().decode(await res.arrayBuffer());
    const rows = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; target: { name: string | null }; details: unknown; hash: string });
    expect(text).not.toContain("極秘プロジェクト班");
    expect(rows.every((r) => r.target.name === null && r.details === null)).toBe(true);
    expect(rows.at(-1)?.action).toBe("operator.audit_exported");
    // The tenant's admins see the export, with its reference.
    const page = await expectJson<{ items: { action: string; actor: { type: string }; details: { reference?: string } | null }[] }>(
      call("/api/v1/audit?action=operator.audit_exported", { token: w.users.tenantAdmin.token }),
      200,
    );
    expect(page.items[0]).toMatchObject({ actor: { type: "operator" }, details: { reference: "LR-2026-0042" } });
    // And in the operator audit log, by the API token.
    const logged = await env.CONTROL_DB.prepare("SELECT actor, details FROM operator_audit WHERE action = 'tenant.audit_exported' AND target_id = ?")
      .bind(w.tenantA.id)
      .all<{ actor: string; details: string }>();
    expect(logged.results.map((r) => ({ actor: r.actor, reference: JSON.parse(r.details).reference }))).toEqual([
      { actor: "api_token", reference: "LR-2026-0042" },
    ]);
  }, 60_000);

  it("needs the operator token and a reference", async () => {
    const w = await buildWorld("evidence-auth");
    expect((await call(`/api/v1/operator/tenants/${w.tenantA.id}/audit/export?reference=x-1`, { token: w.users.tenantAdmin.token })).status).toBe(401);
    const missing = await operator(`/api/v1/operator/tenants/${w.tenantA.id}/audit/export`);
    expect(missing.status).toBe(400);
    expect((await operator("/api/v1/operator/tenants/tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa/audit/export?reference=x-1")).status).toBe(404);
  }, 60_000);
});
