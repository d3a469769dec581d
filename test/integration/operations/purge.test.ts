/**
 * Termination and purge (issue #12, ADR 0026) against real D1, R2 and Durable Objects: a tenant
 * with users, a role, assets (originals and derived thumbnails), an upload in flight, audit events
 * and two backup generations is terminated and purged; a scan of every tenant-data table, every R2
 * key of both buckets and the tenant's Durable Objects finds nothing of it; the other tenant is
 * exactly as it was and still works; the signed certificate counts what existed; a purge cut off
 * part-way runs again to completion; the 15-minute Cron Trigger starts due purges by itself.
 */
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DAILY_BACKUP_CRON, tenantJobsOf } from "~/.server/backups/backup-job.server";
import { auditLogOf } from "~/.server/audit/record.server";
import { listGenerations } from "~/.server/backups/generations.server";
import { existingTenantDataKey, TenantKeyUnavailable } from "~/.server/backups/tenant-keys.server";
import { tenantTables, quotedIdentifier } from "~/.server/backups/tables.server";
import type { KuraEnv } from "~/.server/env/env";
import { PURGE_SWEEP_CRON } from "~/.server/offboarding/purge-job.server";
import { setFaultHook } from "~/.server/testing/faults.server";
import { call, kura, operator } from "../../support/http";
import { pngImage } from "../../support/assets";
import { drainJobs, fireCron } from "../../support/jobs";
import { shardOf } from "../../support/shards";
import { PASSWORD, snapshotTenant } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;
type Populated = { id: string; slug: string; token: string; projectId: string; assetIds: string[] };

/** A tenant with a second user, a custom role, assets with thumbnails, and an upload left open. */
async function populatedTenant(slug: string): Promise<Populated> {
  const t = await kura.createTenant({ slug, name: `${slug} 制作株式会社`, password: PASSWORD });
  const token = t.admin.token;
  const projectId = await kura.createProject(token, `ロケ ${slug}`);
  const folderId = await kura.createFolder(token, projectId, "Day 1");
  const assetIds: string[] = [];
  for (const name of ["A001_C002.mov", "台本.txt", "still.jpg"]) {
    const asset = await kura.uploadAsset<{ id: string }>(token, projectId, `${slug}-${name}`, `bytes of ${name} for ${slug}`, { folderId });
    await kura.waitProcessed(token, asset.id);
    await kura.must(200, `/assets/${asset.id}`, { method: "PATCH", token, json: { tags: ["選抜", slug] } });
    const thumb = await call(`/api/v1/assets/${asset.id}/thumbnail`, {
      method: "PUT",
      token,
      body: await pngImage(32, 18),
      headers: { "Content-Type": "image/png" },
    });
    expect(thumb.status).toBe(204);
    assetIds.push(asset.id);
  }
  await kura.addUser(token, slug, { email: `editor@${slug}.example`, password: PASSWORD });
  // Review data (issue #14): a marker-free collection and a share with a recipient link (its token index is in the control plane).
  const collection = await kura.must<{ id: string }>(201, "/collections", { token, json: { projectId, name: "選抜" } });
  await kura.must(200, `/collections/${collection.id}/assets`, { method: "POST", token, json: { assetIds } });
  await kura.must(201, "/shares", {
    token,
    json: {
      projectId,
      collectionId: collection.id,
      scope: "preview",
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      recipients: [`client@${slug}.example`],
    },
  });
  await kura.must(201, "/roles", { token, json: { name: "Reviewer", permissions: ["asset.view", "search.use"] } });
  // An upload in flight: one part in R2's multipart state, never completed.
  const upload = await kura.must<{ uploadId: string }>(201, `/projects/${projectId}/uploads`, { token, json: { filename: "half.mov", size: 12 } });
  await kura.must(200, `/uploads/${upload.uploadId}/parts/1`, { method: "PUT", token, body: "half a clip." });
  return { id: t.id, slug, token, projectId, assetIds };
}

/** Every row of every tenant-data table of the shard, as text (full-text shadow tables included). */
async function everyRowOfShard(tenantId: string): Promise<string[]> {
  const db = await shardOf(tenantId);
  const tables = (
    await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>()
  ).results;
  const out: string[] = [];
  for (const { name } of tables) {
    const rows = (await db.prepare(`SELECT * FROM ${quotedIdentifier(name)}`).all<Record<string, unknown>>()).results;
    for (const r of rows) out.push(`${name}: ${JSON.stringify(r, (_k, v) => (v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v))}`);
  }
  return out;
}

async function everyKey(bucket: R2Bucket): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ cursor, limit: 1000 });
    out.push(...page.objects.map((o) => ({ key: o.key, size: o.size })));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

/** What exists of a tenant: rows per table, objects and bytes in ASSETS, generations, audit events. */
async function inventoryOf(tenantId: string) {
  const db = await shardOf(tenantId);
  let rows = 0;
  for (const table of tenantTables()) {
    rows += (await db
      .prepare(`SELECT COUNT(*) AS n FROM ${quotedIdentifier(table)} WHERE tenant_id = ?`)
      .bind(tenantId)
      .first<{ n: number }>())!.n;
  }
  const objects = (await everyKey(env.ASSETS)).filter((o) => o.key.startsWith(`tenants/${tenantId}/`));
  return {
    rows,
    objects: objects.length,
    bytes: objects.reduce((s, o) => s + o.size, 0),
    backups: (await listGenerations(kuraEnv, tenantId)).length,
    auditEvents: await auditLogOf(kuraEnv, tenantId).eventCount(),
  };
}

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

let gone: Populated;
let stays: Populated;

beforeAll(async () => {
  gone = await populatedTenant("pg-gone");
  stays = await populatedTenant("pg-stays");
  // Two generations of each (two simulated days of the real daily trigger).
  for (const day of ["2026-12-01", "2026-12-02"]) {
    await fireCron(DAILY_BACKUP_CRON, new Date(`${day}T18:00:00Z`));
    for (const t of [gone, stays]) await drainJobs(t.id);
  }
}, 180_000);

afterEach(() => setFaultHook(null));

describe("termination and purge", () => {
  it("has no certificate before the purge, and none for an unknown tenant", async () => {
    expect((await operator(`/api/v1/operator/tenants/${gone.id}/deletion-certificate`)).status).toBe(404);
    expect((await operator("/api/v1/operator/tenants/ten_nosuchtenant000000000000000/deletion-certificate")).status).toBe(404);
    expect((await operator("/api/v1/operator/tenants/ten_nosuchtenant000000000000000/terminate", { method: "POST" })).status).toBe(404);
  });

  it("terminates at once: every token and sign-in of the tenant stops, a burst of terminations answers the first", async () => {
    expect((await call("/api/v1/projects", { token: gone.token })).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 6 }, () => operator(`/api/v1/operator/tenants/${gone.id}/terminate`, { method: "POST" })));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    const bodies = await Promise.all(answers.map((r) => r.json<{ status: string; purgeAfter: string }>()));
    expect(new Set(bodies.map((b) => b.purgeAfter)).size).toBe(1);
    expect(bodies[0]!.status).toBe("terminated");
    expect((await call("/api/v1/projects", { token: gone.token })).status).toBe(401);
    const login = await call("/api/v1/auth/login", { json: { tenant: gone.slug, email: `editor@${gone.slug}.example`, password: PASSWORD } });
    expect(login.status).toBe(401);
    const record = await operator(`/api/v1/operator/tenants/${gone.id}`);
    expect(await record.json()).toMatchObject({ status: "terminated", purgeAfter: bodies[0]!.purgeAfter });
    // The other tenant is untouched.
    expect((await call("/api/v1/projects", { token: stays.token })).status).toBe(200);
  });

  it("purges, cut off part-way and run again, until nothing of the tenant is left anywhere; the other tenant is exactly as it was", async () => {
    const before = await inventoryOf(gone.id);
    expect(before.backups).toBe(2);
    expect(before.objects).toBeGreaterThanOrEqual(6); // three originals, three thumbnails
    expect(before.auditEvents).toBeGreaterThan(10);
    const otherBefore = await snapshotTenant(stays.id);
    const otherKeysBefore = (await everyKey(env.ASSETS)).filter((o) => o.key.includes(stays.id));
    const otherBackupKeysBefore = (await everyKey(env.BACKUPS)).filter((o) => o.key.includes(stays.id));
    const aBackupPart = (await everyKey(env.BACKUPS)).find((o) => o.key.startsWith(`backups/${gone.id}/`))!;
    const survivingCopy = new Uint8Array(await (await env.BACKUPS.get(aBackupPart.key))!.arrayBuffer());

    // Cut off after its 4th and 9th steps (each step is then repeated: every step is idempotent).
    let steps = 0;
    setFaultHook((point) => {
      if (point !== "purge:after-step") return;
      steps++;
      if (steps === 4 || steps === 9) throw new Error(`cut off after step ${steps}`);
    });
    // Each run goes until a step fails (then the tenant is pending) or the purge is over.
    const runs: { purged: string[]; pending: string[] }[] = [];
    while (runs.length < 6 && !runs.at(-1)?.purged.length) {
      const res = await operator("/api/v1/operator/jobs/purge", { method: "POST" });
      expect(res.status).toBe(200);
      runs.push(await res.json());
    }
    // (The object's own alarms also take steps meanwhile, so a cut may land in either.)
    expect(runs.at(-1)).toEqual({ purged: [gone.id], pending: [] });
    expect(steps).toBeGreaterThan(9);

    // Nothing of it in any row of the shard (full-text index included), any key of either bucket, or its objects.
    const leftovers = (await everyRowOfShard(gone.id)).filter((r) => r.includes(gone.id) || r.includes(gone.slug));
    expect(leftovers).toEqual([]);
    expect((await everyKey(env.ASSETS)).filter((o) => o.key.includes(gone.id))).toEqual([]);
    expect((await everyKey(env.BACKUPS)).filter((o) => o.key.includes(gone.id))).toEqual([]);
    expect(await auditLogOf(kuraEnv, gone.id).eventCount()).toBe(0);
    const jobs = tenantJobsOf(kuraEnv, gone.id);
    expect(await jobs.progress()).toMatchObject({ outcome: "idle" });
    expect(await jobs.lastResult()).toBeNull();
    // The control plane keeps contract facts and the certificate only.
    for (const table of ["tenant_keys", "backup_runs", "email_outbox", "usage_snapshots", "quota_warnings", "share_link_index"]) {
      const n = await env.CONTROL_DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`).bind(gone.id).first<{ n: number }>();
      expect(n!.n, table).toBe(0);
    }
    const record = await env.CONTROL_DB.prepare("SELECT status, admin_email, purged_at FROM tenants WHERE id = ?")
      .bind(gone.id)
      .first<Record<string, string>>();
    expect(record).toMatchObject({ status: "purged", admin_email: "" });
    expect(record!.purged_at).toBeTruthy();
    expect(await (await operator(`/api/v1/operator/tenants/${gone.id}`)).json()).toMatchObject({ status: "purged", purgedAt: record!.purged_at });

    // A backup copy that survived somewhere is unreadable: the key went first.
    expect(survivingCopy.byteLength).toBeGreaterThan(0);
    await expect(existingTenantDataKey(kuraEnv, gone.id)).rejects.toBeInstanceOf(TenantKeyUnavailable);

    // The other tenant: every row, object and backup as before, and it still works.
    expect(await snapshotTenant(stays.id)).toBe(otherBefore);
    expect((await everyKey(env.ASSETS)).filter((o) => o.key.includes(stays.id))).toEqual(otherKeysBefore);
    expect((await everyKey(env.BACKUPS)).filter((o) => o.key.includes(stays.id))).toEqual(otherBackupKeysBefore);
    const list = await kura.must<{ items: unknown[] }>(200, `/projects/${stays.projectId}/assets`, { token: stays.token });
    expect(list.items).toHaveLength(3);
    await kura.must(201, "/projects", { token: stays.token, json: { name: "after the other's purge" } });

    // The certificate counts what existed, and its signature verifies with the published key.
    const res = await operator(`/api/v1/operator/tenants/${gone.id}/deletion-certificate`);
    expect(res.status).toBe(200);
    const cert = await res.json<{
      tenantId: string;
      purgedAt: string;
      deleted: Record<string, number>;
      windows: Record<string, string>;
      body: string;
      signature: { algorithm: string; publicKey: string; value: string };
    }>();
    expect(cert.tenantId).toBe(gone.id);
    expect(cert.purgedAt).toBe(record!.purged_at);
    expect(cert.deleted).toEqual(before);
    expect(Date.parse(cert.windows.platformHistoryExpiresBy!) - Date.parse(cert.purgedAt)).toBe(30 * 86_400_000);
    expect(Date.parse(cert.windows.backupsUnreadableSince!)).toBeLessThanOrEqual(Date.parse(cert.purgedAt));
    const { body, signature, ...fields } = cert;
    expect(JSON.parse(body)).toEqual(fields);
    const publicKey = await crypto.subtle.importKey("raw", base64urlBytes(signature.publicKey), { name: "Ed25519" }, false, ["verify"]);
    const text = new TextEncoder().encode(body);
    expect(await crypto.subtle.verify({ name: "Ed25519" }, publicKey, base64urlBytes(signature.value), text)).toBe(true);
    const forged = new TextEncoder().encode(body.replace(`"objects":${before.objects}`, `"objects":${before.objects + 1}`));
    expect(await crypto.subtle.verify({ name: "Ed25519" }, publicKey, base64urlBytes(signature.value), forged)).toBe(false);

    // A purged tenant cannot be terminated again or restored, and a new purge run leaves it alone.
    expect((await operator(`/api/v1/operator/tenants/${gone.id}/terminate`, { method: "POST" })).status).toBe(409);
    expect(await (await operator("/api/v1/operator/jobs/purge", { method: "POST" })).json()).toEqual({ purged: [], pending: [] });
  });

  it("the 15-minute Cron Trigger starts a due purge, which its object's alarms carry to the end", async () => {
    const t = await kura.createTenant({ slug: "pg-cron", password: PASSWORD });
    const projectId = await kura.createProject(t.admin.token, "短編");
    await kura.uploadAsset(t.admin.token, projectId, "clip.mov", "bytes of a clip");
    await operator(`/api/v1/operator/tenants/${t.id}/terminate`, { method: "POST" });
    const before = await inventoryOf(t.id);
    await fireCron(PURGE_SWEEP_CRON, new Date(Date.now() + 1000));
    await drainJobs(t.id);
    const cert = await (await operator(`/api/v1/operator/tenants/${t.id}/deletion-certificate`)).json<{ deleted: unknown }>();
    expect(cert.deleted).toEqual(before);
    expect((await everyKey(env.ASSETS)).filter((o) => o.key.includes(t.id))).toEqual([]);
    expect((await everyRowOfShard(t.id)).filter((r) => r.includes(t.id))).toEqual([]);
  });
});
