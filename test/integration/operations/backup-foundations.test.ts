/**
 * Backup foundations (issue #12, ADR 0025): every tenant table has a declared backup policy that
 * matches what the migrations create, and each tenant's data key seals backup parts so that only
 * that tenant's key, in that place, opens them, and nothing opens them once the key is destroyed.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BACKUP_POLICIES, backedUpTables } from "~/.server/backups/tables.server";
import { destroyTenantDataKey, existingTenantDataKey, open, seal, TenantKeyUnavailable, tenantDataKey } from "~/.server/backups/tenant-keys.server";
import type { KuraEnv } from "~/.server/env/env";
import { kura } from "../../support/http";
import { PASSWORD } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;
const bytes = (text: string) => new TextEncoder().encode(text);
const newTenant = (slug: string) => kura.createTenant({ slug, password: PASSWORD });

/** The tables the tenant migrations create in a shard, minus SQLite's, D1's and the FTS index's own. */
async function migratedTenantTables(): Promise<string[]> {
  const { results } = await env.TENANT_DB_S0.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE 'assets_fts%' ORDER BY name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

describe("backup policies", () => {
  it("name every table the tenant migrations create, and no other", async () => {
    expect(Object.keys(BACKUP_POLICIES).sort()).toEqual(await migratedTenantTables());
  });

  it("dump each table with exactly the columns the database has", async () => {
    for (const table of backedUpTables()) {
      const { results } = await env.TENANT_DB_S0.prepare(`SELECT name FROM pragma_table_info('${table.name}')`).all<{ name: string }>();
      expect(table.columns.sort(), table.name).toEqual(results.map((r) => r.name).sort());
    }
  });

  it("say why a table is left out, and keep revoked credentials from coming back", () => {
    for (const [name, policy] of Object.entries(BACKUP_POLICIES)) {
      if (policy.kind === "excluded") expect(policy.why.length, name).toBeGreaterThan(20);
    }
    expect(BACKUP_POLICIES.sessions.kind).toBe("excluded");
    expect(BACKUP_POLICIES.one_time_tokens.kind).toBe("excluded");
    expect(BACKUP_POLICIES.api_tokens).toEqual({ kind: "dumped", restore: "survivorsOnly" });
  });
});

describe("tenant data keys", () => {
  it("seal with the tenant's own key: the same key on every use, and a part opens only in its own place", async () => {
    const a = await newTenant("keys-a");
    const b = await newTenant("keys-b");
    const part = await seal(await tenantDataKey(kuraEnv, a.id), bytes('{"t":"assets"}'), `backups/${a.id}/2026-12-07/run/part-000001`);
    const again = await existingTenantDataKey(kuraEnv, a.id);
    expect(new TextDecoder().decode(await open(again, part, `backups/${a.id}/2026-12-07/run/part-000001`))).toBe('{"t":"assets"}');
    // Another place (a swapped part), another tenant's key, one flipped byte: all refused.
    await expect(open(again, part, `backups/${a.id}/2026-12-06/run/part-000001`)).rejects.toThrow();
    await expect(open(await tenantDataKey(kuraEnv, b.id), part, `backups/${a.id}/2026-12-07/run/part-000001`)).rejects.toThrow();
    const flipped = part.slice();
    flipped[20]! ^= 1;
    await expect(open(again, flipped, `backups/${a.id}/2026-12-07/run/part-000001`)).rejects.toThrow();
  });

  it("are created once under a burst of first uses", async () => {
    const t = await newTenant("keys-burst");
    const keys = await Promise.all(Array.from({ length: 12 }, () => tenantDataKey(kuraEnv, t.id)));
    const { results } = await env.CONTROL_DB.prepare("SELECT wrapped_key FROM tenant_keys WHERE tenant_id = ?").bind(t.id).all();
    expect(results).toHaveLength(1);
    // Every caller got the one stored key: each opens what the first sealed.
    const sealed = await seal(keys[0]!, bytes("one key"), "ctx");
    for (const key of keys) expect(new TextDecoder().decode(await open(key, sealed, "ctx"))).toBe("one key");
  });

  it("are stored wrapped: not the key itself, and useless without the service's secret", async () => {
    const t = await newTenant("keys-wrapped");
    const key = await tenantDataKey(kuraEnv, t.id);
    const sealed = await seal(key, bytes("secret rows"), "ctx");
    const row = await env.CONTROL_DB.prepare("SELECT wrapped_key FROM tenant_keys WHERE tenant_id = ?").bind(t.id).first<{ wrapped_key: string }>();
    // 12-byte IV + 32-byte key + 16-byte tag, base64.
    expect(atob(row!.wrapped_key)).toHaveLength(60);
    const otherSecret = { ...kuraEnv, DATA_ENCRYPTION_KEY: btoa("another-32-byte-secret-for-tests") } as KuraEnv;
    await expect(existingTenantDataKey(otherSecret, t.id)).rejects.toThrow();
    const noSecret = { ...kuraEnv, DATA_ENCRYPTION_KEY: undefined } as KuraEnv;
    await expect(existingTenantDataKey(noSecret, t.id)).rejects.toBeInstanceOf(TenantKeyUnavailable);
    expect(new TextDecoder().decode(await open(await existingTenantDataKey(kuraEnv, t.id), sealed, "ctx"))).toBe("secret rows");
  });

  it("once destroyed, leave every sealed part unreadable and are never quietly made again for reading", async () => {
    const t = await newTenant("keys-shred");
    const sealed = await seal(await tenantDataKey(kuraEnv, t.id), bytes("rows of a backup"), "part");
    expect(await destroyTenantDataKey(kuraEnv, t.id)).toBe(true);
    expect(await destroyTenantDataKey(kuraEnv, t.id)).toBe(false);
    await expect(existingTenantDataKey(kuraEnv, t.id)).rejects.toBeInstanceOf(TenantKeyUnavailable);
    // Even a fresh key for the same tenant cannot open what the destroyed one sealed.
    await expect(open(await tenantDataKey(kuraEnv, t.id), sealed, "part")).rejects.toThrow();
  });
});
