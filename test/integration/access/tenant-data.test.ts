import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenantSettings } from "~/.server/db/tenant-schema";
import { tenantData } from "~/.server/db/tenant-data.server";
import { tenantObjectKey, tenantPrefix } from "~/.server/storage/keys.server";
import type { Principal } from "~/policy/access";
import { operator } from "../../support/http";

async function newTenant(slug: string): Promise<string> {
  const res = await operator("/api/v1/operator/tenants", {
    method: "POST",
    json: { slug, name: slug, adminEmail: `${slug}@x.example` },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { tenant: { id: string } }).tenant.id;
}

const userOf = (tenantId: string): Principal => ({
  type: "tenant_user",
  tenantId,
  tenantSlug: "x",
  tenantName: "x",
  userId: "usr_test",
  email: "x@x.example",
  name: "",
  tenantRole: "user",
  twoFactorEnabled: false,
  locale: null,
  timeZone: null,
  tenantTimeZone: null,
  credential: { kind: "api_session", id: "x" },
  mustEnrollTotp: false,
});

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 0;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("tenant data layer", () => {
  it("opens the signed-in user's own tenant and nothing for other principals", async () => {
    const tenantId = await newTenant("layer-one");
    const data = await tenantData({ env, principal: userOf(tenantId) });
    expect(data.tenantId).toBe(tenantId);
    const row = await data.db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId)).get();
    expect(row?.tenantId).toBe(tenantId);

    expect(await statusOf(tenantData({ env, principal: { type: "anonymous" } }))).toBe(401);
    expect(await statusOf(tenantData({ env, principal: { type: "operator" } }))).toBe(401);
  });

  it("refuses a terminated or unknown tenant at once", async () => {
    const tenantId = await newTenant("layer-ended");
    await env.CONTROL_DB.prepare("UPDATE tenants SET status = 'terminated' WHERE id = ?").bind(tenantId).run();
    expect(await statusOf(tenantData({ env, principal: userOf(tenantId) }))).toBe(401);
    expect(await statusOf(tenantData({ env, principal: userOf("tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa") }))).toBe(401);
  });

  it("places new tenants on a second shard by configuration alone, and reads them from it", async () => {
    // Configuration: the binding TENANT_DB_S1 (vitest.config.ts) plus a shard-map row.
    await env.CONTROL_DB.batch([
      env.CONTROL_DB.prepare("INSERT INTO shards (key, binding, accepts_new_tenants) VALUES ('s1', 'TENANT_DB_S1', 1)"),
      env.CONTROL_DB.prepare("UPDATE shards SET accepts_new_tenants = 0 WHERE key = 's0'"),
    ]);
    try {
      const tenantId = await newTenant("on-shard-one");
      const placed = await env.CONTROL_DB.prepare("SELECT shard_key FROM tenants WHERE id = ?").bind(tenantId).first();
      expect(placed).toEqual({ shard_key: "s1" });
      const inS1 = await env.TENANT_DB_S1.prepare("SELECT tenant_id FROM tenant_settings WHERE tenant_id = ?").bind(tenantId).first();
      const inS0 = await env.TENANT_DB_S0.prepare("SELECT tenant_id FROM tenant_settings WHERE tenant_id = ?").bind(tenantId).first();
      expect(inS1).toEqual({ tenant_id: tenantId });
      expect(inS0).toBeNull();

      // Marked in S1 only: the data layer must read from S1 to see it.
      await env.TENANT_DB_S1.prepare("UPDATE tenant_settings SET default_locale = 'en' WHERE tenant_id = ?").bind(tenantId).run();
      const data = await tenantData({ env, principal: userOf(tenantId) });
      const row = await data.db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId)).get();
      expect(row?.defaultLocale).toBe("en");
    } finally {
      await env.CONTROL_DB.batch([
        env.CONTROL_DB.prepare("UPDATE shards SET accepts_new_tenants = 1 WHERE key = 's0'"),
        env.CONTROL_DB.prepare("UPDATE shards SET accepts_new_tenants = 0 WHERE key = 's1'"),
      ]);
    }
  });
});

describe("per-tenant storage", () => {
  it("builds every key under the tenant's prefix from ids only", () => {
    const id = "tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    expect(tenantPrefix(id)).toBe(`tenants/${id}/`);
    expect(tenantObjectKey(id, "originals/ast_bbbbbbbbbbbbbbbbbbbbbbbbbb")).toBe(`tenants/${id}/originals/ast_bbbbbbbbbbbbbbbbbbbbbbbbbb`);
    expect(() => tenantPrefix("../other")).toThrow();
    expect(() => tenantPrefix("tnt_x/../../y")).toThrow();
    for (const bad of ["../x", "a/../../b", "/abs", "渋谷.mov", "a b", ""]) {
      expect(() => tenantObjectKey(id, bad), bad).toThrow();
    }
  });

  it("keeps two tenants' objects apart in the real bucket", async () => {
    const [a, b] = [await newTenant("store-a"), await newTenant("store-b")];
    // The storage comes with the tenant's data, and the tenant from the principal.
    const storeA = (await tenantData({ env, principal: userOf(a) })).storage;
    const storeB = (await tenantData({ env, principal: userOf(b) })).storage;
    await storeA.put("originals/same_key", "bytes of A");
    await storeB.put("originals/same_key", "bytes of B");
    expect(await (await storeA.get("originals/same_key"))!.text()).toBe("bytes of A");
    expect(await (await storeB.get("originals/same_key"))!.text()).toBe("bytes of B");
    const listedA = (await storeA.list()).objects.map((o) => o.key);
    expect(listedA).toEqual([`tenants/${a}/originals/same_key`]);
    await storeA.delete("originals/same_key");
    expect(await storeB.head("originals/same_key")).not.toBeNull();
    expect(await statusOf(tenantData({ env, principal: { type: "operator" } }))).toBe(401);
  });
});
