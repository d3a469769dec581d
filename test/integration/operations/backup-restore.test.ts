/**
 * Restoring one tenant from a generation (issue #12, ADR 0025): after changes made since the
 * backup, the tenant's rows equal the backed-up dump exactly (except credentials, which a restore
 * never brings back), the other tenant's rows are unchanged, search finds what the rows hold, and
 * the restore is in the tenant's own log.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { readBackup, type BackupManifest } from "~/.server/backups/backup-run.server";
import { existingTenantDataKey, open, seal } from "~/.server/backups/tenant-keys.server";
import { backupRunPrefix } from "~/.server/storage/keys.server";
import { listGenerations } from "~/.server/backups/generations.server";
import { backedUpTables } from "~/.server/backups/tables.server";
import type { KuraEnv } from "~/.server/env/env";
import { kura, operator } from "../../support/http";
import { shardOf } from "../../support/shards";
import { auditTail, PASSWORD, snapshotTenant } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;

type Populated = { id: string; slug: string; token: string; projectId: string; assetIds: string[]; tokenIds: string[] };

async function populated(slug: string): Promise<Populated> {
  const t = await kura.createTenant({ slug, password: PASSWORD });
  const token = t.admin.token;
  const projectId = await kura.createProject(token, `渋谷ロケ ${slug}`);
  const assetIds: string[] = [];
  for (const name of ["金閣寺_A001.mov", "渋谷_交差点.jpg"]) {
    const asset = await kura.uploadAsset<{ id: string }>(token, projectId, name, `bytes of ${name}`);
    await kura.waitProcessed(token, asset.id);
    await kura.must(200, `/assets/${asset.id}`, { method: "PATCH", token, json: { tags: ["選抜"] } });
    assetIds.push(asset.id);
  }
  const tokenIds: string[] = [];
  for (const name of ["ci", "nas-sync"]) tokenIds.push((await kura.must<{ id: string }>(201, "/auth/tokens", { token, json: { name } })).id);
  return { id: t.id, slug, token, projectId, assetIds, tokenIds };
}

/** The tenant's rows of a table as D1 returns them, canonical and sorted; `rid` (the FTS rowid) left out. */
async function rowsOf(tenantId: string, table: string): Promise<string[]> {
  const db = await shardOf(tenantId);
  const { results } = await db.prepare(`SELECT * FROM "${table}" WHERE tenant_id = ?`).bind(tenantId).all<Record<string, unknown>>();
  return canonical(results);
}
const canonical = (rows: Record<string, unknown>[]) =>
  rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r)
            .filter(([k]) => k !== "rid")
            .sort(([a], [b]) => a.localeCompare(b)),
        ),
      ),
    )
    .sort();

let a: Populated;
let b: Populated;
let manifest: BackupManifest;
let generation: string;

beforeAll(async () => {
  a = await populated("rs-alpha");
  b = await populated("rs-beta");
  const res = await operator("/api/v1/operator/jobs/backup", { method: "POST" });
  expect(res.status).toBe(200);
  const kept = (await listGenerations(kuraEnv, a.id))[0]!;
  generation = kept.generation;
  manifest = (await (await env.BACKUPS.get(`backups/${a.id}/${kept.generation}/${kept.runId}/manifest.json`))!.json()) as BackupManifest;
}, 120_000);

describe("POST /api/v1/operator/tenants/{id}/restore", () => {
  it("makes the tenant's rows exactly the backed-up rows after changes, and leaves the other tenant as it was", async () => {
    // Changes after the backup: a new asset, a deleted one, a renamed project, a new user, a
    // revoked token and a new one, a new setting.
    const late = await kura.uploadAsset<{ id: string }>(a.token, a.projectId, "後から_追加.mov", "late");
    await kura.must(204, `/assets/${a.assetIds[0]}`, { method: "DELETE", token: a.token });
    await kura.must(200, `/projects/${a.projectId}`, { method: "PATCH", token: a.token, json: { name: "改名後のプロジェクト" } });
    await kura.addUser(a.token, a.slug, { email: `late@${a.slug}.example`, password: PASSWORD });
    await kura.must(204, `/auth/tokens/${a.tokenIds[0]}`, { method: "DELETE", token: a.token });
    const newToken = (await kura.must<{ id: string }>(201, "/auth/tokens", { token: a.token, json: { name: "after-backup" } })).id;
    const otherBefore = await snapshotTenant(b.id);

    const res = await operator(`/api/v1/operator/tenants/${a.id}/restore`, { method: "POST", json: { generation } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ tenantId: a.id, generation });

    const backedUp = await readBackup(kuraEnv, manifest);
    for (const table of backedUpTables()) {
      const expected = canonical(backedUp.rows.filter((r) => r.t === table.name).map((r) => r.r));
      if (table.name === "api_tokens") continue;
      expect(await rowsOf(a.id, table.name), table.name).toEqual(expected);
    }
    // Tokens: those of the backup that still existed; the revoked one stays revoked, the new one is gone.
    const tokens = await (await shardOf(a.id)).prepare("SELECT id FROM api_tokens WHERE tenant_id = ?").bind(a.id).all<{ id: string }>();
    expect(tokens.results.map((t) => t.id)).toEqual([a.tokenIds[1]]);
    expect(tokens.results.map((t) => t.id)).not.toContain(newToken);
    // Every session ended: the admin's token is refused, and signing in works with the restored user.
    expect((await kura.api("/me", { token: a.token })).status).toBe(401);
    const fresh = await kura.login(a.slug, `admin@${a.slug}.example`, PASSWORD);
    // Search reads the rebuilt index: the deleted asset is found again, the late one is not.
    const found = await kura.must<{ items: { id: string }[] }>(200, `/projects/${a.projectId}/assets?q=${encodeURIComponent("金閣寺")}`, { token: fresh });
    expect(found.items.map((i) => i.id)).toEqual([a.assetIds[0]]);
    const gone = await kura.must<{ items: { id: string }[] }>(200, `/projects/${a.projectId}/assets?q=${encodeURIComponent("後から")}`, { token: fresh });
    expect(gone.items.map((i) => i.id)).not.toContain(late.id);
    // The other tenant: every row as before.
    expect(await snapshotTenant(b.id)).toBe(otherBefore);
    // The restore is in the tenant's log; nothing is left staged.
    expect((await auditTail(a.id, 5)).map((e) => e.action)).toContain("backup.restored");
    const db = await shardOf(a.id);
    expect(await db.prepare("SELECT COUNT(*) AS n FROM backup_rows WHERE tenant_id = ?").bind(a.id).first("n")).toBe(0);
  });

  it("restores a generation written in format 1 (rows as JSON objects, before ADR 0029) just as well", async () => {
    // The kept generation rewritten as format 1 would have written it: every row an object, no columns in the manifest.
    expect(manifest.format).toBe(2);
    const backedUp = await readBackup(kuraEnv, manifest);
    const key = await existingTenantDataKey(kuraEnv, a.id);
    const parts: BackupManifest["parts"] = [];
    for (const part of manifest.parts) {
      const path = backupRunPrefix(manifest) + part.name;
      const text = new TextDecoder().decode(await open(key, new Uint8Array(await (await env.BACKUPS.get(path))!.arrayBuffer()), path));
      const lines = text
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const parsed = JSON.parse(line) as { t?: string; r?: unknown[] };
          if (!parsed.t) return line;
          const columns = manifest.columns![parsed.t]!;
          return JSON.stringify({ t: parsed.t, r: Object.fromEntries(columns.map((c, i) => [c, parsed.r![i]])) });
        });
      const sealed = await seal(key, new TextEncoder().encode(lines.map((l) => `${l}\n`).join("")), path);
      await env.BACKUPS.put(path, sealed);
      const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", sealed)), (x) => x.toString(16).padStart(2, "0")).join("");
      parts.push({ ...part, sha256, bytes: sealed.byteLength });
    }
    const { columns: _columns, ...rest } = manifest;
    const formatOne: BackupManifest = { ...rest, format: 1, parts };
    await env.BACKUPS.put(`${backupRunPrefix(manifest)}manifest.json`, JSON.stringify(formatOne));
    // A change the restore must undo.
    await kura.must(200, `/projects/${a.projectId}`, {
      method: "PATCH",
      token: await kura.login(a.slug, `admin@${a.slug}.example`, PASSWORD),
      json: { name: "形式1の前" },
    });

    const res = await operator(`/api/v1/operator/tenants/${a.id}/restore`, { method: "POST", json: { generation } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(canonical(backedUp.rows.map((r) => r.r))).toEqual(canonical((await readBackup(kuraEnv, formatOne)).rows.map((r) => r.r)));
    for (const table of backedUpTables()) {
      if (table.name === "api_tokens") continue;
      expect(await rowsOf(a.id, table.name), table.name).toEqual(canonical(backedUp.rows.filter((r) => r.t === table.name).map((r) => r.r)));
    }
  });

  it("answers 404 for a day without a generation or an unknown tenant, and 400 for a bad body", async () => {
    expect((await operator(`/api/v1/operator/tenants/${a.id}/restore`, { method: "POST", json: { generation: "2020-01-01" } })).status).toBe(404);
    expect((await operator("/api/v1/operator/tenants/tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa/restore", { method: "POST", json: { generation } })).status).toBe(404);
    expect((await operator(`/api/v1/operator/tenants/${a.id}/restore`, { method: "POST", json: { generation: "yesterday" } })).status).toBe(400);
    expect((await operator(`/api/v1/operator/tenants/${a.id}/restore`, { method: "POST", json: { generation, extra: 1 } })).status).toBe(400);
  });
});
