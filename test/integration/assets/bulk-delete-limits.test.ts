/**
 * Bulk delete of 1,000 assets through the public API under production's D1
 * limits (the checker is on in tests, ADR 0016), and killed half-way: the
 * rows, usage and audit events commit before the stored objects go, so a
 * failure never leaves a listed asset without its file, and the scheduled
 * sweep removes the files of rows that are gone.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import worker from "../../../workers/index";
import { setFaultHook } from "~/.server/testing/faults.server";
import { call } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { seedAssets } from "../../support/assets";
import { shardOf } from "../../support/shards";

let world: World;
let admin: string;
let shard: D1Database;

beforeAll(async () => {
  world = await buildWorld("bulkdel");
  admin = world.users.tenantAdmin.token;
  shard = await shardOf(world.tenantA.id);
});

afterEach(() => setFaultHook(null));

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "*/15 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Every stored object of the tenant: asset id → kinds present, and the originals' total size. */
async function stored(tenantId: string) {
  const byAsset = new Map<string, string[]>();
  let originalBytes = 0;
  let cursor: string | undefined;
  do {
    const page = await env.ASSETS.list({ prefix: `tenants/${tenantId}/assets/`, ...(cursor ? { cursor } : {}) });
    for (const o of page.objects) {
      const [, , , id, kind] = o.key.split("/");
      byAsset.set(id!, [...(byAsset.get(id!) ?? []), kind!]);
      if (kind === "original") originalBytes += o.size;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { byAsset, originalBytes };
}

async function rows(projectId: string) {
  const out = await shard
    .prepare("SELECT id, size FROM assets WHERE tenant_id = ? AND project_id = ?")
    .bind(world.tenantA.id, projectId)
    .all<{ id: string; size: number }>();
  return out.results;
}

async function usage(projectId: string) {
  const body = await expectJson<{ bytes: number; assets: number; projects: { projectId: string; bytes: number; assets: number }[] }>(
    call("/api/v1/usage", { token: admin }),
    200,
  );
  return body.projects.find((p) => p.projectId === projectId) ?? { bytes: 0, assets: 0 };
}

async function deletedEvents(): Promise<number> {
  const log = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(world.tenantA.id));
  let n = 0;
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await log.query({ action: "asset.deleted", limit: 500, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
    n += page.items.length;
    if (page.nextBeforeSeq === null) return n;
    beforeSeq = page.nextBeforeSeq;
  }
}

/** The invariants: every listed asset has its original; usage equals the listed rows' bytes. */
async function expectNoListedAssetWithoutObject(projectId: string) {
  const listed = await rows(projectId);
  const { byAsset } = await stored(world.tenantA.id);
  expect(listed.filter((r) => !byAsset.get(r.id)?.includes("original")).map((r) => r.id)).toEqual([]);
  const u = await usage(projectId);
  expect(u).toMatchObject({ bytes: listed.reduce((s, r) => s + r.size, 0), assets: listed.length });
  return listed;
}

describe("bulk delete under production's D1 limits", () => {
  it("deletes 1,000 assets in one request: rows, tags, objects, usage and 1,000 asset.deleted events", async () => {
    const project = await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", token: admin, json: { name: "bulk 1000" } }), 201);
    const seeded = await seedAssets(shard, env.ASSETS, { tenantId: world.tenantA.id, projectId: project.id }, 1000);
    const eventsBefore = await deletedEvents();
    const res = await expectJson<{ deleted: number }>(
      call(`/api/v1/projects/${project.id}/assets/bulk-delete`, { method: "POST", token: admin, json: { assetIds: seeded.map((a) => a.id) } }),
      200,
    );
    expect(res).toEqual({ deleted: 1000 });
    expect(await rows(project.id)).toEqual([]);
    expect(await shard.prepare("SELECT count(*) AS n FROM asset_tags WHERE project_id = ?").bind(project.id).first("n")).toBe(0);
    const { byAsset } = await stored(world.tenantA.id);
    expect(seeded.filter((a) => byAsset.has(a.id))).toEqual([]);
    expect(await usage(project.id)).toMatchObject({ bytes: 0, assets: 0 });
    expect((await deletedEvents()) - eventsBefore).toBe(1000);
  }, 180_000);

  it("killed half-way, leaves no listed asset without its object; the sweep leaves no object without its row", async () => {
    const project = await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", token: admin, json: { name: "bulk killed" } }), 201);
    const seeded = await seedAssets(shard, env.ASSETS, { tenantId: world.tenantA.id, projectId: project.id }, 1000);
    const eventsBefore = await deletedEvents();
    let steps = 0;
    setFaultHook((point) => {
      if (point === "asset-delete:between-stores" && ++steps === 1) throw new Error("injected fault: the Worker dies between the two stores");
    });
    const killed = await call(`/api/v1/projects/${project.id}/assets/bulk-delete`, {
      method: "POST",
      token: admin,
      json: { assetIds: seeded.map((a) => a.id) },
    });
    expect(killed.status).toBe(500);
    setFaultHook(null);

    const listed = await expectNoListedAssetWithoutObject(project.id);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(1000);
    // Whatever was deleted from D1 was recorded.
    expect((await deletedEvents()) - eventsBefore).toBe(1000 - listed.length);

    await runCron();
    const listedIds = new Set((await rows(project.id)).map((r) => r.id));
    const { byAsset, originalBytes } = await stored(world.tenantA.id);
    expect([...byAsset.keys()].filter((id) => !listedIds.has(id))).toEqual([]);
    expect(originalBytes).toBe((await usage(project.id)).bytes);
    expect(await shard.prepare("SELECT count(*) AS n FROM pending_object_deletions WHERE tenant_id = ?").bind(world.tenantA.id).first("n")).toBe(0);

    // The rest is deleted by a retry; nothing is left anywhere.
    const rest = await expectJson<{ deleted: number }>(
      call(`/api/v1/projects/${project.id}/assets/bulk-delete`, { method: "POST", token: admin, json: { assetIds: [...listedIds] } }),
      200,
    );
    expect(rest.deleted).toBe(listedIds.size);
    expect((await stored(world.tenantA.id)).byAsset.size).toBe(0);
    expect(await usage(project.id)).toMatchObject({ bytes: 0, assets: 0 });
    expect((await deletedEvents()) - eventsBefore).toBe(1000);
  }, 180_000);

  it("a single DELETE killed between the stores keeps the asset listed with its object, or gone with it swept", async () => {
    const project = await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", token: admin, json: { name: "single killed" } }), 201);
    const [one] = await seedAssets(shard, env.ASSETS, { tenantId: world.tenantA.id, projectId: project.id }, 1);
    setFaultHook(() => {
      throw new Error("injected fault");
    });
    expect((await call(`/api/v1/assets/${one!.id}`, { method: "DELETE", token: admin })).status).toBe(500);
    setFaultHook(null);
    await expectNoListedAssetWithoutObject(project.id);
    await runCron();
    const listed = await rows(project.id);
    const { byAsset } = await stored(world.tenantA.id);
    expect(byAsset.has(one!.id)).toBe(listed.length === 1);
  });
});
