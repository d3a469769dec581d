/**
 * Moving a tenant to another shard (issue #12, ADR 0028): a restore into the second test shard
 * (TENANT_DB_S1). Every API answer of the tenant is the same afterwards, nothing of it is left on
 * the old shard, the other tenants on both shards are untouched, an isolate that remembers the old
 * placement heals, a move cut off after any step resumes to its end, and bad moves are refused.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { listGenerations } from "~/.server/backups/generations.server";
import { BACKUP_POLICIES, tenantTables } from "~/.server/backups/tables.server";
import { tenantDataForAuthentication } from "~/.server/db/tenant-data.server";
import { tenantSettings } from "~/.server/db/tenant-schema";
import type { KuraEnv } from "~/.server/env/env";
import { setFaultHook } from "~/.server/testing/faults.server";
import { kura, operator } from "../../support/http";
import { auditTail, PASSWORD, snapshotTenant } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;

type Populated = { id: string; slug: string; session: string; apiToken: string; projectId: string; assetIds: string[] };

/** A tenant with projects, folders, tagged assets, a metadata field and value, a saved search, a second user and an API token. */
async function populated(slug: string): Promise<Populated> {
  const t = await kura.createTenant({ slug, password: PASSWORD });
  const session = t.admin.token;
  const projectId = await kura.createProject(session, `渋谷ロケ ${slug}`);
  const folderId = await kura.createFolder(session, projectId, "Day 1 素材");
  await kura.must(201, "/metadata-fields", { token: session, json: { key: "scene", label: "シーン", type: "text" } });
  const assetIds: string[] = [];
  for (const [i, name] of ["金閣寺_A001.mov", "渋谷_交差点.jpg", "interview_01.wav"].entries()) {
    const asset = await kura.uploadAsset<{ id: string }>(session, projectId, name, `bytes of ${name}`, i === 0 ? { folderId } : {});
    await kura.waitProcessed(session, asset.id);
    await kura.must(200, `/assets/${asset.id}`, { method: "PATCH", token: session, json: { tags: ["選抜", `take-${i}`], metadata: { scene: `シーン${i}` } } });
    assetIds.push(asset.id);
  }
  await kura.must(201, `/projects/${projectId}/saved-searches`, { token: session, json: { name: "選抜だけ", query: { tag: ["選抜"] } } });
  await kura.addUser(session, slug, { email: `editor@${slug}.example`, password: PASSWORD, name: "編集 太郎" });
  const apiToken = (await kura.must<{ token: string }>(201, "/auth/tokens", { token: session, json: { name: "nas-sync" } })).token;
  return { id: t.id, slug, session, apiToken, projectId, assetIds };
}

async function shardKeyOf(tenantId: string): Promise<string> {
  return (await env.CONTROL_DB.prepare("SELECT shard_key FROM tenants WHERE id = ?").bind(tenantId).first<string>("shard_key"))!;
}

/** Rows of the tenant in every tenant table of a shard (FTS tables included through their content table's triggers). */
async function rowsIn(db: D1Database, tenantId: string): Promise<Record<string, number>> {
  const tables = tenantTables();
  const counted = await db.batch(tables.map((t) => db.prepare(`SELECT COUNT(*) AS n FROM "${t}" WHERE tenant_id = ?`).bind(tenantId)));
  return Object.fromEntries(tables.map((t, i) => [t, (counted[i]!.results[0] as { n: number }).n]).filter(([, n]) => n !== 0));
}

/** Places the next tenant created on shard `key` (only that shard accepts new tenants meanwhile). */
async function onShard<T>(key: string, create: () => Promise<T>): Promise<T> {
  await env.CONTROL_DB.prepare("UPDATE shards SET accepts_new_tenants = CASE WHEN key = ? THEN 1 ELSE 0 END").bind(key).run();
  try {
    return await create();
  } finally {
    await env.CONTROL_DB.prepare("UPDATE shards SET accepts_new_tenants = CASE WHEN key = 's0' THEN 1 ELSE 0 END").run();
  }
}

const move = (tenantId: string, shard: string) => operator(`/api/v1/operator/tenants/${tenantId}/move`, { method: "POST", json: { shard } });

let a: Populated;
let b: Populated;
let c: Populated;

beforeAll(async () => {
  await env.CONTROL_DB.prepare("INSERT OR IGNORE INTO shards (key, binding, accepts_new_tenants) VALUES ('s1', 'TENANT_DB_S1', 0)").run();
  a = await populated("mv-alpha");
  b = await populated("mv-beta");
  c = await onShard("s1", () => populated("mv-gamma"));
  expect([await shardKeyOf(a.id), await shardKeyOf(b.id), await shardKeyOf(c.id)]).toEqual(["s0", "s0", "s1"]);
}, 120_000);

afterEach(() => setFaultHook(null));

describe("POST /api/v1/operator/tenants/{id}/move", () => {
  it("moves the tenant to the other shard: every API answer stays the same, nothing of it stays behind, the other tenants are untouched", async () => {
    const t0 = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const first = await kura.must<{ items: { id: string }[]; nextCursor: string }>(200, `/projects/${a.projectId}/assets?limit=1&sort=name`, {
      token: a.apiToken,
    });
    const paths = [
      "/me",
      "/projects",
      `/projects/${a.projectId}`,
      `/projects/${a.projectId}/assets?limit=1&sort=name`,
      `/projects/${a.projectId}/assets?limit=1&sort=name&cursor=${encodeURIComponent(first.nextCursor)}`,
      `/projects/${a.projectId}/assets?q=${encodeURIComponent("金閣寺")}`,
      `/projects/${a.projectId}/assets?tag=${encodeURIComponent("選抜")}&sort=-size`,
      `/projects/${a.projectId}/assets?meta=${encodeURIComponent("scene:シーン1")}`,
      `/projects/${a.projectId}/folders`,
      `/projects/${a.projectId}/tags`,
      `/projects/${a.projectId}/saved-searches`,
      `/assets/${a.assetIds[0]}`,
      "/users",
      "/roles",
      "/metadata-fields",
      "/tenant/settings",
      "/usage",
      `/audit?to=${encodeURIComponent(t0)}&limit=200`,
    ];
    const answers = async () => {
      const out: Record<string, unknown> = {};
      for (const path of paths) {
        const res = await kura.api(path, { token: a.apiToken });
        out[path] = { status: res.status, body: res.body };
      }
      const original = await kura.call(`/api/v1/assets/${a.assetIds[1]}/original`, { token: a.apiToken });
      out.original = { status: original.status, text: await original.text() };
      return out;
    };
    const before = await answers();
    for (const path of paths) expect((before[path] as { status: number }).status, path).toBe(200);
    const otherOnOld = await snapshotTenant(b.id);
    const otherOnNew = await snapshotTenant(c.id);

    const res = await move(a.id, "s1");
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json<{ tenantId: string; from: string; shard: string; generation: string }>();
    expect(body).toMatchObject({ tenantId: a.id, from: "s0", shard: "s1" });
    expect(await shardKeyOf(a.id)).toBe("s1");

    // Every answer as before, through the API token (tokens move with the tenant).
    expect(await answers()).toEqual(before);
    // Sessions end, as in a restore; signing in works on the new shard.
    expect((await kura.api("/me", { token: a.session })).status).toBe(401);
    const fresh = await kura.login(a.slug, `admin@${a.slug}.example`, PASSWORD);
    // Writes land on the new shard and search finds them there.
    const late = await kura.uploadAsset<{ id: string }>(fresh, a.projectId, "移転後_追加.mov", "after the move");
    const found = await kura.must<{ items: { id: string }[] }>(200, `/projects/${a.projectId}/assets?q=${encodeURIComponent("移転後")}`, { token: a.apiToken });
    expect(found.items.map((i) => i.id)).toEqual([late.id]);

    // Nothing of the tenant is left on the old shard; its rows are all on the new one.
    expect(await rowsIn(env.TENANT_DB_S0, a.id)).toEqual({});
    expect(Object.keys(await rowsIn(env.TENANT_DB_S1, a.id))).toEqual(
      expect.arrayContaining(["tenant_settings", "users", "api_tokens", "assets", "asset_tags", "folders"]),
    );
    const status = await env.TENANT_DB_S1.prepare("SELECT status FROM tenant_settings WHERE tenant_id = ?").bind(a.id).first<string>("status");
    expect(status).toBe("active");
    expect(await env.CONTROL_DB.prepare("SELECT moving_to FROM tenants WHERE id = ?").bind(a.id).first("moving_to")).toBeNull();
    // The other tenants, on both shards, exactly as they were.
    expect(await snapshotTenant(b.id)).toBe(otherOnOld);
    expect(await snapshotTenant(c.id)).toBe(otherOnNew);

    // The move took a fresh backup (the day's generation) and is in the tenant's log, whose chain still verifies.
    expect((await listGenerations(kuraEnv, a.id)).map((g) => g.generation)).toContain(body.generation);
    const actions = (await auditTail(a.id, 10)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["backup.created", "tenant.moved"]));
    expect(await kura.must(200, "/audit/verify", { token: a.apiToken })).toMatchObject({ ok: true });
    const logged = await env.CONTROL_DB.prepare("SELECT details FROM operator_audit WHERE action = 'tenant.moved' AND target_id = ?")
      .bind(a.id)
      .first<string>("details");
    expect(JSON.parse(logged!)).toMatchObject({ from: "s0", to: "s1" });
  });

  it("an isolate that remembers the old placement heals on its next request (ADR 0028)", async () => {
    const d = await populated("mv-delta");
    const read = (db: Parameters<Parameters<typeof tenantDataForAuthentication.byTokenTenantWith>[2]>[0]) =>
      db.select({ tenantId: tenantSettings.tenantId }).from(tenantSettings).where(eq(tenantSettings.tenantId, d.id)).get();
    const missed = (row: { tenantId: string } | undefined) => !row;
    // Remembered on s0 by a first credential read.
    expect((await tenantDataForAuthentication.byTokenTenantWith(kuraEnv, d.id, read, missed))?.result).toEqual({ tenantId: d.id });
    // The tenant's mirror moves to s1 and the shard map follows, behind this isolate's back.
    const row = await env.TENANT_DB_S0.prepare("SELECT * FROM tenant_settings WHERE tenant_id = ?").bind(d.id).first<Record<string, unknown>>();
    const columns = Object.keys(row!);
    await env.TENANT_DB_S1.prepare(`INSERT INTO tenant_settings (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
      .bind(...columns.map((k) => row![k]))
      .run();
    await env.TENANT_DB_S0.prepare("DELETE FROM tenant_settings WHERE tenant_id = ?").bind(d.id).run();
    await env.CONTROL_DB.prepare("UPDATE tenants SET shard_key = 's1' WHERE id = ?").bind(d.id).run();
    // The read on the remembered shard finds nothing; the control plane is asked and the read runs on s1.
    const healed = await tenantDataForAuthentication.byTokenTenantWith(kuraEnv, d.id, read, missed);
    expect(healed?.result).toEqual({ tenantId: d.id });
    expect(healed?.data.db).not.toBe((await tenantDataForAuthentication.byTokenTenant(kuraEnv, b.id))?.db);
    // Back as it was (the rest of d's rows never left s0).
    await env.TENANT_DB_S0.prepare(`INSERT INTO tenant_settings (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
      .bind(...columns.map((k) => row![k]))
      .run();
    await env.TENANT_DB_S1.prepare("DELETE FROM tenant_settings WHERE tenant_id = ?").bind(d.id).run();
    await env.CONTROL_DB.prepare("UPDATE tenants SET shard_key = 's0' WHERE id = ?").bind(d.id).run();
    expect((await kura.api("/me", { token: d.apiToken })).status).toBe(200);
  });

  it("a move cut off after each of its steps resumes to the end, with the same rows", async () => {
    const e = await populated("mv-epsilon");
    const rowsBefore = await rowsIn(env.TENANT_DB_S0, e.id);
    const assetsBefore = await kura.must<{ items: { id: string }[] }>(200, `/projects/${e.projectId}/assets?sort=name`, { token: e.apiToken });
    // Every step is cut off once after doing its work (before its progress is saved), then runs again.
    // While the move runs (after its first step), the tenant is closed: tokens and sign-ins are refused.
    const during: number[] = [];
    let calls = 0;
    setFaultHook(async (point) => {
      if (point !== "move:after-step") return;
      if (++calls === 2) {
        during.push((await kura.api("/me", { token: e.apiToken })).status);
        during.push((await kura.api("/auth/login", { json: { tenant: e.slug, email: `admin@${e.slug}.example`, password: PASSWORD } })).status);
      }
      if (calls % 2 === 1) throw new Error("injected: cut off after the step");
    });
    const res = await move(e.id, "s1");
    expect(res.status, await res.clone().text()).toBe(200);
    setFaultHook(null);
    expect(during).toEqual([401, 401]);
    // quiesce, uploads, deletions, the backup's steps, the restore's parts and swap, switch, clear.
    expect(calls).toBeGreaterThan(16);
    expect(await shardKeyOf(e.id)).toBe("s1");
    expect(await rowsIn(env.TENANT_DB_S0, e.id)).toEqual({});
    const rowsAfter = await rowsIn(env.TENANT_DB_S1, e.id);
    // The same rows of every backed-up table; what a restore ends (sessions, unused links, upload
    // records, ADR 0025) is not carried over.
    const kept = Object.fromEntries(Object.entries(rowsBefore).filter(([table]) => BACKUP_POLICIES[table as keyof typeof BACKUP_POLICIES].kind === "dumped"));
    expect(Object.keys(kept)).toEqual(expect.arrayContaining(["users", "api_tokens", "assets", "asset_tags", "folders", "saved_searches"]));
    expect(rowsAfter).toEqual(kept);
    expect(await kura.must(200, `/projects/${e.projectId}/assets?sort=name`, { token: e.apiToken })).toEqual(assetsBefore);
  });

  it("a move that keeps failing before its switch is undone: the tenant works where it was, the new shard holds nothing of it", async () => {
    const h = await populated("mv-theta");
    const before = await kura.must(200, `/projects/${h.projectId}/assets?sort=name`, { token: h.apiToken });
    // From the backup's second step on, every step fails.
    let calls = 0;
    setFaultHook((point) => {
      if (point === "move:after-step" && ++calls > 4) throw new Error("injected: the step keeps failing");
    });
    const res = await move(h.id, "s1");
    setFaultHook(null);
    expect(res.status, await res.clone().text()).toBe(503);
    expect(await shardKeyOf(h.id)).toBe("s0");
    expect(await env.CONTROL_DB.prepare("SELECT moving_to FROM tenants WHERE id = ?").bind(h.id).first("moving_to")).toBeNull();
    expect(await rowsIn(env.TENANT_DB_S1, h.id)).toEqual({});
    expect(await env.TENANT_DB_S0.prepare("SELECT status FROM tenant_settings WHERE tenant_id = ?").bind(h.id).first("status")).toBe("active");
    expect(await kura.must(200, `/projects/${h.projectId}/assets?sort=name`, { token: h.apiToken })).toEqual(before);
    // The half-made backup run is recorded failed and its parts are gone; the operator is told.
    const runs = await env.CONTROL_DB.prepare("SELECT status FROM backup_runs WHERE tenant_id = ?").bind(h.id).all<{ status: string }>();
    expect(runs.results.map((r) => r.status)).toEqual(["failed"]);
    expect((await env.BACKUPS.list({ prefix: `backups/${h.id}/` })).objects).toEqual([]);
    const alerts = await kura.must<{ items: { subject: string }[] }>(200, `/operator/outbox?to=${encodeURIComponent("operations@kura.test")}`, {
      token: kura.operatorToken,
    });
    expect(alerts.items.map((m) => m.subject)).toContain(`Kura: move of tenant ${h.id} failed and was undone`);
    // And it can be moved afterwards.
    expect((await move(h.id, "s1")).status).toBe(200);
    expect(await kura.must(200, `/projects/${h.projectId}/assets?sort=name`, { token: h.apiToken })).toEqual(before);
  });

  it("a burst of parallel moves to the same shard moves the tenant once", async () => {
    const f = await populated("mv-zeta");
    const assetsBefore = await kura.must(200, `/projects/${f.projectId}/assets?sort=name`, { token: f.apiToken });
    const answers = await Promise.all(Array.from({ length: 5 }, () => move(f.id, "s1")));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length, statuses.join()).toBeGreaterThanOrEqual(1);
    // The others waited for the same move (200) or found it done (409 already there).
    for (const s of statuses) expect([200, 409]).toContain(s);
    expect(await shardKeyOf(f.id)).toBe("s1");
    expect(await rowsIn(env.TENANT_DB_S0, f.id)).toEqual({});
    expect(await kura.must(200, `/projects/${f.projectId}/assets?sort=name`, { token: f.apiToken })).toEqual(assetsBefore);
    const moves = await env.CONTROL_DB.prepare("SELECT COUNT(*) AS n FROM operator_audit WHERE action = 'tenant.moved' AND target_id = ?")
      .bind(f.id)
      .first<number>("n");
    const events = (await auditTail(f.id, 20)).filter((e) => e.action === "tenant.moved");
    expect(events.length).toBe(1);
    expect(moves).toBe(statuses.filter((s) => s === 200).length);
  });

  it("refuses what cannot be moved, with the contract's errors, and changes nothing", async () => {
    const before = await snapshotTenant(b.id);
    expect((await move(b.id, "s-none")).status).toBe(400);
    expect((await move(b.id, "S1; DROP")).status).toBe(400);
    expect((await operator(`/api/v1/operator/tenants/${b.id}/move`, { method: "POST", json: { shard: "s1", extra: true } })).status).toBe(400);
    expect((await move(b.id, "s0")).status).toBe(409);
    expect((await move("tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa", "s1")).status).toBe(404);
    expect((await operator(`/api/v1/operator/tenants/${b.id}/restore`, { method: "POST", json: { generation: "2026-01-01", shard: "s-none" } })).status).toBe(
      400,
    );
    // A tenant user's token is not an operator's.
    expect((await kura.call(`/api/v1/operator/tenants/${b.id}/move`, { method: "POST", token: b.apiToken, json: { shard: "s1" } })).status).toBe(401);
    expect(await snapshotTenant(b.id)).toBe(before);
    expect(await shardKeyOf(b.id)).toBe("s0");
  });

  it("restoring a generation into another shard moves the tenant there with that generation's rows", async () => {
    const g = await populated("mv-eta");
    expect((await operator("/api/v1/operator/jobs/backup", { method: "POST" })).status).toBe(200);
    const kept = (await listGenerations(kuraEnv, g.id))[0]!;
    // A change after the backup, which the restore takes back.
    await kura.must(204, `/assets/${g.assetIds[2]}`, { method: "DELETE", token: g.apiToken });
    const res = await operator(`/api/v1/operator/tenants/${g.id}/restore`, { method: "POST", json: { generation: kept.generation, shard: "s1" } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ tenantId: g.id, generation: kept.generation, shard: "s1" });
    expect(await shardKeyOf(g.id)).toBe("s1");
    expect(await rowsIn(env.TENANT_DB_S0, g.id)).toEqual({});
    const assets = await kura.must<{ items: { id: string }[] }>(200, `/projects/${g.projectId}/assets?sort=name`, { token: g.apiToken });
    expect(assets.items.map((i) => i.id).sort()).toEqual([...g.assetIds].sort());
  });
});
