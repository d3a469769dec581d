/**
 * Issue #10, defect 7: quota reservations cannot be held hostage. A user's
 * open reservations are capped, idle ones expire after a day, admins can
 * list and cancel anyone's upload, and deleting or disabling a user releases
 * theirs (ADR 0019).
 */
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, type ApiErrorBody } from "../../support/http";
import { addUser, buildWorld, expectJson, grant, type Account, type World } from "../../support/world";

const MiB = 1024 * 1024;
const HOUR = 3600_000;

let world: World;
let admin: string;

beforeAll(async () => {
  world = await buildWorld("reserve");
  admin = world.users.tenantAdmin.token;
});

// Each case starts from no open upload and the default quota, whatever the previous case left.
afterEach(async () => {
  await cancelAllOpen();
  await setQuota(100 * 1024 ** 3);
});

type Started = { uploadId: string; assetId: string; expiresAt: string };

const start = (token: string, size: number, name = "big.mov") =>
  call(`/api/v1/projects/${world.p1}/uploads`, { method: "POST", token, json: { filename: name, size } });

async function reserved(): Promise<number> {
  return (await expectJson<{ reservedBytes: number }>(call("/api/v1/usage", { token: admin }), 200)).reservedBytes;
}

async function setQuota(bytes: number) {
  await env.CONTROL_DB.prepare("UPDATE tenants SET storage_quota_bytes = ? WHERE id = ?").bind(bytes, world.tenantA.id).run();
}

async function openUploadsOf(userId: string): Promise<number> {
  const row = await env.TENANT_DB_S0.prepare("SELECT count(*) AS n FROM uploads WHERE created_by = ? AND status IN ('open', 'completing')")
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function cancelAllOpen() {
  await env.TENANT_DB_S0.prepare("UPDATE uploads SET status = 'aborted' WHERE tenant_id = ? AND status = 'open'").bind(world.tenantA.id).run();
}

async function lastEvent(action: string) {
  const page = await env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(world.tenantA.id)).query({ limit: 50 });
  return page.items.find((e) => e.action === action);
}

describe("per-user cap on open reservations", () => {
  it("lets a burst of 10 parallel starts by one member reserve at most half the quota, and leaves the rest to others", async () => {
    await cancelAllOpen();
    await setQuota(1024 * MiB);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => start(world.users.member.token, 100 * MiB, `burst-${i}.mov`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBe(5);
    expect(statuses.filter((s) => s === 403).length).toBe(5);
    for (const r of results.filter((x) => x.status === 403)) expect(((await r.json()) as ApiErrorBody).error.code).toBe("quota_exceeded");
    expect(await reserved()).toBe(500 * MiB);
    // Someone else can still upload into the remaining quota.
    expect((await start(world.users.projectAdmin.token, 400 * MiB)).status).toBe(201);
    await cancelAllOpen();
    await setQuota(100 * 1024 ** 3);
  });
});

describe("idle reservations expire after a day", () => {
  it("gives an upload without parts 24 hours, and extends it with each part up to 7 days after its start", async () => {
    const before = Date.now();
    const created = await expectJson<Started>(start(world.users.member.token, 10 * MiB), 201);
    const expires = Date.parse(created.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 24 * HOUR - 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * HOUR + 60_000);
    // An upload started 6.5 days ago that receives a part now is extended only to its 7th day.
    const startedAt = new Date(Date.now() - 6.5 * 24 * HOUR).toISOString();
    await env.TENANT_DB_S0.prepare("UPDATE uploads SET created_at = ? WHERE id = ?").bind(startedAt, created.uploadId).run();
    await expectJson(
      call(`/api/v1/uploads/${created.uploadId}/parts/1`, { method: "PUT", token: world.users.member.token, body: new Uint8Array(10 * MiB) }),
      200,
    );
    const status = await expectJson<{ expiresAt: string }>(call(`/api/v1/uploads/${created.uploadId}`, { token: world.users.member.token }), 200);
    expect(Date.parse(status.expiresAt)).toBe(Date.parse(startedAt) + 7 * 24 * HOUR);
    await cancelAllOpen();
  });

  it("stops counting an expired reservation against the quota at once, before the sweep runs", async () => {
    await setQuota(800 * MiB);
    const held = await expectJson<Started>(start(world.users.member.token, 400 * MiB), 201);
    await expectJson<Started>(start(world.users.projectAdmin.token, 300 * MiB), 201);
    expect((await start(admin, 300 * MiB)).status).toBe(403);
    await env.TENANT_DB_S0.prepare("UPDATE uploads SET expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), held.uploadId)
      .run();
    expect(await reserved()).toBe(300 * MiB);
    expect((await start(admin, 300 * MiB)).status).toBe(201);
    await cancelAllOpen();
    await setQuota(100 * 1024 ** 3);
  });
});

describe("admins see and cancel anyone's upload", () => {
  it("lists in-progress uploads: all of them for admins, one's own for uploaders", async () => {
    const mine = await expectJson<Started>(start(world.users.member.token, 5 * MiB, "member.mov"), 201);
    const theirs = await expectJson<Started>(start(world.users.projectAdmin.token, 5 * MiB, "padmin.mov"), 201);
    type Listed = { items: { uploadId: string; createdBy: string; filename: string; size: number; receivedBytes: number }[]; nextCursor: string | null };
    const all = await expectJson<Listed>(call(`/api/v1/projects/${world.p1}/uploads`, { token: admin }), 200);
    expect(all.items.map((u) => u.uploadId)).toEqual(expect.arrayContaining([mine.uploadId, theirs.uploadId]));
    expect(all.items.find((u) => u.uploadId === mine.uploadId)).toMatchObject({ createdBy: world.users.member.id, filename: "member.mov", size: 5 * MiB });
    const pa = await expectJson<Listed>(call(`/api/v1/projects/${world.p1}/uploads`, { token: world.users.projectAdmin.token }), 200);
    expect(pa.items.map((u) => u.uploadId)).toContain(mine.uploadId);
    const own = await expectJson<Listed>(call(`/api/v1/projects/${world.p1}/uploads`, { token: world.users.member.token }), 200);
    expect(own.items.map((u) => u.uploadId)).toEqual([mine.uploadId]);
    expect((await call(`/api/v1/projects/${world.p1}/uploads`, { token: world.users.viewer.token })).status).toBe(403);
    expect((await call(`/api/v1/projects/${world.p1}/uploads`, { token: world.users.otherProject.token })).status).toBe(404);
    await cancelAllOpen();
  });

  it("lets the tenant admin and the project admin cancel a member's upload, recorded with the admin as actor", async () => {
    const a = await expectJson<Started>(start(world.users.member.token, 5 * MiB), 201);
    expect((await call(`/api/v1/uploads/${a.uploadId}`, { method: "DELETE", token: admin })).status).toBe(204);
    const event = await lastEvent("asset.upload_aborted");
    expect(event?.actor.id).toBe(world.users.tenantAdmin.id);
    expect(event?.target.id).toBe(a.uploadId);
    const b = await expectJson<Started>(start(world.users.member.token, 5 * MiB), 201);
    expect((await call(`/api/v1/uploads/${b.uploadId}`, { method: "DELETE", token: world.users.projectAdmin.token })).status).toBe(204);
    expect((await lastEvent("asset.upload_aborted"))?.actor.id).toBe(world.users.projectAdmin.id);
    expect(await reserved()).toBe(0);
    // A member cannot cancel someone else's upload: it stays invisible.
    const c = await expectJson<Started>(start(world.users.projectAdmin.token, 5 * MiB), 201);
    expect((await call(`/api/v1/uploads/${c.uploadId}`, { method: "DELETE", token: world.users.member.token })).status).toBe(404);
    await cancelAllOpen();
  });

  it("cancels exactly once when the uploader and an admin cancel in parallel", async () => {
    const u = await expectJson<Started>(start(world.users.member.token, 5 * MiB), 201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(`/api/v1/uploads/${u.uploadId}`, { method: "DELETE", token: i % 2 ? admin : world.users.member.token })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204).length).toBe(1);
    expect(statuses.filter((s) => s === 409).length).toBe(9);
    const page = await env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(world.tenantA.id)).query({ limit: 50 });
    expect(page.items.filter((e) => e.action === "asset.upload_aborted" && e.target.id === u.uploadId).length).toBe(1);
    expect(await reserved()).toBe(0);
  });
});

describe("deleting or disabling a user releases their uploads", () => {
  async function uploader(name: string): Promise<Account> {
    const user = await addUser(admin, world.tenantA.slug, `${name}@${world.tenantA.slug}.example`);
    await grant(admin, world.p1, user.id, "member");
    return user;
  }

  async function r2UploadIds(userId: string) {
    const rows = await env.TENANT_DB_S0.prepare("SELECT asset_id, r2_upload_id FROM uploads WHERE created_by = ?")
      .bind(userId)
      .all<{ asset_id: string; r2_upload_id: string }>();
    return rows.results;
  }

  async function expectR2Aborted(rows: { asset_id: string; r2_upload_id: string }[]) {
    for (const row of rows) {
      const multipart = env.ASSETS.resumeMultipartUpload(`tenants/${world.tenantA.id}/assets/${row.asset_id}/original`, row.r2_upload_id);
      await expect(multipart.uploadPart(1, new Uint8Array(5 * MiB))).rejects.toThrow();
    }
  }

  it("aborts a deleted user's uploads, in R2 too, and frees their reservation", async () => {
    const user = await uploader("leaver");
    const a = await expectJson<Started>(start(user.token, 40 * MiB), 201);
    await expectJson<Started>(start(user.token, 20 * MiB), 201);
    await expectJson(call(`/api/v1/uploads/${a.uploadId}/parts/1`, { method: "PUT", token: user.token, body: new Uint8Array(32 * MiB) }), 200);
    expect(await reserved()).toBe(60 * MiB);
    const rows = await r2UploadIds(user.id);
    expect((await call(`/api/v1/users/${user.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect(await reserved()).toBe(0);
    expect(await openUploadsOf(user.id)).toBe(0);
    await expectR2Aborted(rows);
    expect((await lastEvent("asset.upload_aborted"))?.actor.id).toBe(world.users.tenantAdmin.id);
  });

  it("aborts a disabled user's uploads and frees their reservation", async () => {
    const user = await uploader("paused");
    await expectJson<Started>(start(user.token, 30 * MiB), 201);
    const rows = await r2UploadIds(user.id);
    await expectJson(call(`/api/v1/users/${user.id}`, { method: "PATCH", token: admin, json: { disabled: true } }), 200);
    expect(await reserved()).toBe(0);
    expect(await openUploadsOf(user.id)).toBe(0);
    await expectR2Aborted(rows);
  });

  it("leaves no open reservation when 10 parallel upload starts race the user's deletion", async () => {
    const user = await uploader("racer");
    const starts = Array.from({ length: 10 }, (_, i) => start(user.token, MiB, `race-${i}.mov`));
    const deletion = call(`/api/v1/users/${user.id}`, { method: "DELETE", token: admin });
    const [deleted, ...started] = await Promise.all([deletion, ...starts]);
    expect(deleted.status).toBe(204);
    // 409: reserved just before the deletion, which aborted it while its R2 upload was being created.
    for (const s of started) expect([201, 401, 403, 404, 409]).toContain(s.status);
    expect(await openUploadsOf(user.id)).toBe(0);
    expect(await reserved()).toBe(0);
  });
});
