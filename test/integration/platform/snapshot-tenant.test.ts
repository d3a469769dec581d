/**
 * The matrix's "denied, yet the data changed" check rests on snapshotTenant:
 * it must see a change in any tenant table and in the control plane, and
 * nothing else (a read leaves it equal).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { shardOf } from "../../support/shards";
import { buildWorld, expectJson, snapshotTenant, type World } from "../../support/world";

let w: World;
beforeAll(async () => {
  w = await buildWorld("snap");
}, 60_000);

describe("snapshotTenant", () => {
  it("is equal across a read", async () => {
    const before = await snapshotTenant(w.tenantA.id);
    await expectJson(call(`/api/v1/projects/${w.p1}`, { token: w.users.tenantAdmin.token }), 200);
    expect(await snapshotTenant(w.tenantA.id)).toBe(before);
  });

  it("sees a change made through the API, in a row written straight to the shard, and in the control plane", async () => {
    let before = await snapshotTenant(w.tenantA.id);
    await expectJson(call(`/api/v1/projects/${w.p1}`, { method: "PATCH", token: w.users.tenantAdmin.token, json: { name: "Renamed for the snapshot" } }), 200);
    expect(await snapshotTenant(w.tenantA.id)).not.toBe(before);

    before = await snapshotTenant(w.tenantA.id);
    const db = await shardOf(w.tenantA.id);
    await db.prepare("INSERT INTO pending_object_deletions (tenant_id, asset_id) VALUES (?, 'x')").bind(w.tenantA.id).run();
    expect(await snapshotTenant(w.tenantA.id)).not.toBe(before);

    before = await snapshotTenant(w.tenantA.id);
    await env.CONTROL_DB.prepare("UPDATE tenants SET name = name || '!' WHERE id = ?").bind(w.tenantA.id).run();
    expect(await snapshotTenant(w.tenantA.id)).not.toBe(before);
  });

  it("does not see another tenant's change", async () => {
    const before = await snapshotTenant(w.tenantA.id);
    const db = await shardOf(w.tenantB.id);
    await db.prepare("UPDATE users SET name = name || '!' WHERE tenant_id = ?").bind(w.tenantB.id).run();
    expect(await snapshotTenant(w.tenantA.id)).toBe(before);
  });
});
