/**
 * One tenant's backup run (issue #12, ADR 0025) against real D1, R2 and the audit Durable Object:
 * the parts hold exactly the tenant's rows of every dumped table and its audit events up to the
 * head, taken at one moment; they are sealed with the tenant's key and bound to their place; and
 * the staging copy is gone afterwards.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { readBackup, readManifest, type BackupManifest } from "~/.server/backups/backup-run.server";
import { runTenantBackupNow } from "~/.server/backups/backup-job.server";
import { backedUpTables } from "~/.server/backups/tables.server";
import { backupRunPrefix } from "~/.server/storage/keys.server";
import { destroyTenantDataKey, TenantKeyUnavailable } from "~/.server/backups/tenant-keys.server";
import type { KuraEnv } from "~/.server/env/env";
import { kura } from "../../support/http";
import { shardOf } from "../../support/shards";
import { PASSWORD } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;

/** A run through the tenant's job object, as the cron and the operator run it; its manifest. */
async function runBackupToEnd(tenantId: string, at: Date, options: Parameters<typeof runTenantBackupNow>[3] = {}): Promise<BackupManifest> {
  const run = await runTenantBackupNow(kuraEnv, tenantId, at, options);
  expect(run?.status, run?.error ?? "").toBe("complete");
  return readManifest(kuraEnv, { tenantId, generation: run!.generation, runId: run!.runId });
}
type Tenant = Awaited<ReturnType<typeof kura.createTenant>>;

/** A tenant with a project, a folder, tagged and processed assets, a custom role and a second user. */
async function populatedTenant(slug: string): Promise<Tenant & { projectId: string; assetIds: string[] }> {
  const t = await kura.createTenant({ slug, name: `${slug} 株式会社`, password: PASSWORD });
  const token = t.admin.token;
  const projectId = await kura.createProject(token, `渋谷ロケ ${slug}`);
  const folderId = await kura.createFolder(token, projectId, "Day 1");
  const assetIds: string[] = [];
  for (const name of ["A001_C002.mov", "メモ.txt", "still.jpg"]) {
    const asset = await kura.uploadAsset<{ id: string }>(token, projectId, `${slug}-${name}`, `bytes of ${name}`, { folderId });
    await kura.waitProcessed(token, asset.id);
    await kura.must(200, `/assets/${asset.id}`, { method: "PATCH", token, json: { tags: ["選抜", slug] } });
    assetIds.push(asset.id);
  }
  await kura.addUser(token, slug, { email: `editor@${slug}.example`, password: PASSWORD });
  await kura.must(201, "/roles", { token, json: { name: "Reviewer", permissions: ["asset.view", "search.use"] } });
  return { ...t, projectId, assetIds };
}

/** The tenant's live rows of a table, as D1 returns them. */
async function liveRows(tenantId: string, table: string): Promise<Record<string, unknown>[]> {
  const db = await shardOf(tenantId);
  return (await db.prepare(`SELECT * FROM "${table}" WHERE tenant_id = ?`).bind(tenantId).all<Record<string, unknown>>()).results;
}

const canonical = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))).sort();

let a: Awaited<ReturnType<typeof populatedTenant>>;
let b: Awaited<ReturnType<typeof populatedTenant>>;

beforeAll(async () => {
  a = await populatedTenant("bk-alpha");
  b = await populatedTenant("bk-beta");
}, 120_000);

describe("a backup run", () => {
  let manifest: BackupManifest;

  it("holds exactly the tenant's rows of every dumped table and its audit events up to the head, in many small parts", async () => {
    manifest = await runBackupToEnd(a.id, new Date("2026-12-07T18:00:00Z"), { partBytes: 2_000 });
    expect(manifest.generation).toBe("2026-12-07");
    expect(manifest.parts.length).toBeGreaterThan(3);
    const contents = await readBackup(kuraEnv, manifest);
    for (const table of backedUpTables()) {
      const dumped = contents.rows.filter((r) => r.t === table.name).map((r) => r.r);
      const live = await liveRows(a.id, table.name);
      expect(canonical(dumped), table.name).toEqual(canonical(live));
      expect(manifest.tables[table.name], table.name).toBe(live.length);
    }
    expect(manifest.tables.assets).toBe(3);
    expect(manifest.tables.users).toBe(2);
    // Nothing of the other tenant.
    expect(JSON.stringify(contents)).not.toContain(b.id);
    // The audit events, gap-free from the first to the head, each in its chain.
    expect(manifest.audit.headSeq).toBeGreaterThan(5);
    expect(contents.events.map((e) => e.seq)).toEqual(Array.from({ length: manifest.audit.headSeq }, (_, i) => i + 1));
    expect(contents.events.at(-1)!.hash).toBe(manifest.audit.headHash);
    expect(manifest.audit.events).toBe(manifest.audit.headSeq);
  });

  it("leaves no staging rows behind, in the shard or in the job object's verification scratch", async () => {
    const db = await shardOf(a.id);
    expect(await db.prepare("SELECT COUNT(*) AS n FROM backup_rows WHERE tenant_id = ?").bind(a.id).first("n")).toBe(0);
    // The run completed, so verification restored every row there and counted the manifest's numbers; then it emptied it.
    const jobs = env.TENANT_JOBS.get(env.TENANT_JOBS.idFromName(a.id));
    const left = await runInDurableObject(
      jobs,
      (_instance, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM verify_scratch").one().n,
    );
    expect(left).toBe(0);
  });

  it("stores only sealed parts: no name, tag or e-mail of the tenant in any stored byte", async () => {
    const listed = await env.BACKUPS.list({ prefix: backupRunPrefix(manifest) });
    expect(listed.objects.map((o) => o.key.slice(backupRunPrefix(manifest).length)).sort()).toEqual(
      [...manifest.parts.map((p) => p.name), "manifest.json"].sort(),
    );
    for (const part of manifest.parts) {
      const bytes = new Uint8Array(await (await env.BACKUPS.get(backupRunPrefix(manifest) + part.name))!.arrayBuffer());
      const asText = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
      for (const secret of ["渋谷ロケ", "選抜", "editor@bk-alpha.example", "A001_C002", "Reviewer"]) expect(asText).not.toContain(secret);
    }
    const manifestText = await (await env.BACKUPS.get(`${backupRunPrefix(manifest)}manifest.json`))!.text();
    expect(manifestText).not.toContain("渋谷");
  });

  it("refuses a part that was changed or put in another part's place", async () => {
    const [first, second] = manifest.parts;
    const firstBytes = await (await env.BACKUPS.get(backupRunPrefix(manifest) + first!.name))!.arrayBuffer();
    // In another's place: the checksum gives it away…
    await expect(readBackup(kuraEnv, { ...manifest, parts: [{ ...second!, sha256: first!.sha256 }] })).rejects.toThrow();
    // …and with the checksum made to match, the seal does (the part's path is its additional data).
    await env.BACKUPS.put(backupRunPrefix(manifest) + second!.name + ".swapped", firstBytes);
    await expect(readBackup(kuraEnv, { ...manifest, parts: [{ ...first!, name: second!.name + ".swapped" }] })).rejects.toThrow();
    // One flipped byte with a matching checksum: the seal refuses it.
    const flipped = new Uint8Array(firstBytes.slice(0));
    flipped[40]! ^= 1;
    const sha = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", flipped)), (x) => x.toString(16).padStart(2, "0")).join("");
    await env.BACKUPS.put(backupRunPrefix(manifest) + "flipped", flipped);
    await expect(readBackup(kuraEnv, { ...manifest, parts: [{ ...first!, name: "flipped", sha256: sha }] })).rejects.toThrow();
  });
});

describe("the copy is one moment", () => {
  it("a change after the copy is taken is not in the backup, though the parts are written after it", async () => {
    let late: { id: string } | null = null;
    const manifest = await runBackupToEnd(b.id, new Date("2026-12-07T18:00:00Z"), {
      partBytes: 1_500,
      // While the run is between steps: a new asset, a renamed project.
      afterStart: async () => {
        late = await kura.uploadAsset<{ id: string }>(b.admin.token, b.projectId, "late.mov", "late bytes");
        await kura.must(200, `/projects/${b.projectId}`, { method: "PATCH", token: b.admin.token, json: { name: "改名後" } });
      },
    });
    const contents = await readBackup(kuraEnv, manifest);
    const assets = contents.rows.filter((r) => r.t === "assets").map((r) => r.r.id);
    expect(assets.sort()).toEqual([...b.assetIds].sort());
    expect(late).not.toBeNull();
    expect(assets).not.toContain(late!.id);
    const project = contents.rows.find((r) => r.t === "projects" && r.r.id === b.projectId)!;
    expect(project.r.name).toBe("渋谷ロケ bk-beta");
    expect(manifest.tables.assets).toBe(3);
  });
});

describe("a destroyed tenant key", () => {
  it("leaves every backup of the tenant unreadable", async () => {
    const manifest = await runBackupToEnd(a.id, new Date("2026-12-08T18:00:00Z"));
    await expect(readBackup(kuraEnv, manifest)).resolves.toBeDefined();
    await destroyTenantDataKey(kuraEnv, a.id);
    await expect(readBackup(kuraEnv, manifest)).rejects.toBeInstanceOf(TenantKeyUnavailable);
  });
});

describe("tenants whose rows interleave in a shard", () => {
  it("a tenant's copy, staged in groups over rowid ranges, holds exactly its rows and none of the other's between them", async () => {
    // Two tenants of one shard adding rows in turns: each tenant's rowid ranges hold the other's rows.
    const [c, d] = [await kura.createTenant({ slug: "bk-inter-c", password: PASSWORD }), await kura.createTenant({ slug: "bk-inter-d", password: PASSWORD })];
    expect(await shardOf(c.id)).toBe(await shardOf(d.id));
    const projects = { [c.id]: await kura.createProject(c.admin.token, "交互 c"), [d.id]: await kura.createProject(d.admin.token, "交互 d") };
    for (let i = 0; i < 6; i++)
      for (const t of [c, d]) {
        const asset = await kura.uploadAsset<{ id: string }>(t.admin.token, projects[t.id]!, `${t.id}-${i}.mov`, `bytes ${i} of ${t.id}`);
        await kura.waitProcessed(t.admin.token, asset.id);
        await kura.must(200, `/assets/${asset.id}`, { method: "PATCH", token: t.admin.token, json: { tags: [`t${i}`, "交互"] } });
      }
    for (const partBytes of [600, 50_000]) {
      const manifest = await runBackupToEnd(c.id, new Date(`2026-12-1${partBytes === 600 ? 0 : 1}T18:00:00Z`), { partBytes });
      const contents = await readBackup(kuraEnv, manifest);
      for (const table of backedUpTables()) {
        const live = await liveRows(c.id, table.name);
        expect(canonical(contents.rows.filter((r) => r.t === table.name).map((r) => r.r)), `${table.name} at ${partBytes}`).toEqual(canonical(live));
        expect(manifest.tables[table.name], table.name).toBe(live.length);
      }
      expect(manifest.tables.assets).toBe(6);
      expect(manifest.tables.asset_tags).toBe(12);
      expect(manifest.parts.reduce((n, p) => n + (p.name.endsWith("-rows.jsonl.sealed") ? p.rows : 0), 0)).toBe(
        Object.values(manifest.tables).reduce((a, b) => a + b, 0),
      );
      expect(JSON.stringify(contents)).not.toContain(d.id);
    }
  });
});
