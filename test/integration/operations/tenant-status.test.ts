/**
 * A tenant's status: the control plane holds the record, the tenant's shard a
 * mirror that every credential check reads in the same statement (ADR 0015).
 * Leaving "active" stops every credential at once, through the API, the
 * browse route (which reads its page with the credential) and its web mirror.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createLogger } from "~/.server/http/logger.server";
import { reconcileTenantStatus, setTenantStatus } from "~/.server/tenants/status.server";
import { call } from "../../support/http";
import { buildWorld, expectJson } from "../../support/world";
import { shardOf } from "../../support/shards";

const me = (token: string) => call("/api/v1/me", { token });
const browse = (projectId: string, token: string) => call(`/api/v1/projects/${projectId}/assets`, { token });

async function states(tenantId: string) {
  const record = await env.CONTROL_DB.prepare("SELECT status FROM tenants WHERE id = ?").bind(tenantId).first<{ status: string }>();
  const mirror = await (await shardOf(tenantId)).prepare("SELECT status FROM tenant_settings WHERE tenant_id = ?").bind(tenantId).first<{ status: string }>();
  return { record: record?.status, mirror: mirror?.status };
}

describe("tenant status", () => {
  it("setTenantStatus writes the record and the mirror; terminated stops every credential at once, active restores them", async () => {
    const w = await buildWorld("status-set");
    const pat = await expectJson<{ token: string }>(call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "ci" } }), 201);
    // Warm: this isolate now knows the tenant's shard, so no control-plane read happens below.
    expect((await me(w.users.member.token)).status).toBe(200);
    expect((await browse(w.p1, w.users.viewer.token)).status).toBe(200);

    expect(await setTenantStatus(env, w.tenantA.id, "terminated")).toBe(true);
    expect(await states(w.tenantA.id)).toEqual({ record: "terminated", mirror: "terminated" });
    expect((await me(w.users.member.token)).status).toBe(401);
    expect((await me(pat.token)).status).toBe(401);
    expect((await browse(w.p1, w.users.viewer.token)).status).toBe(401);
    expect((await browse(w.p1, w.users.tenantAdmin.token)).status).toBe(401);
    // The other tenant is untouched.
    expect((await me(w.users.otherTenantAdmin.token)).status).toBe(200);

    expect(await setTenantStatus(env, w.tenantA.id, "active")).toBe(true);
    expect(await states(w.tenantA.id)).toEqual({ record: "active", mirror: "active" });
    expect((await me(pat.token)).status).toBe(200);
    expect((await browse(w.p1, w.users.viewer.token)).status).toBe(200);

    expect(await setTenantStatus(env, "ten_doesnotexist000000000000", "terminated")).toBe(false);
  }, 60_000);

  it("is read from the mirror on every request: changing only the mirror takes effect on the next one", async () => {
    const w = await buildWorld("status-mirror");
    expect((await me(w.users.viewer.token)).status).toBe(200);
    const shard = await shardOf(w.tenantA.id);
    await shard.prepare("UPDATE tenant_settings SET status = 'terminated' WHERE tenant_id = ?").bind(w.tenantA.id).run();
    expect((await me(w.users.viewer.token)).status).toBe(401);
    expect((await browse(w.p1, w.users.viewer.token)).status).toBe(401);
    await shard.prepare("UPDATE tenant_settings SET status = 'active' WHERE tenant_id = ?").bind(w.tenantA.id).run();
    expect((await me(w.users.viewer.token)).status).toBe(200);
  }, 60_000);

  it("refuses every credential of a tenant whose shard has no settings row (fails closed)", async () => {
    const w = await buildWorld("status-norow");
    const shard = await shardOf(w.tenantA.id);
    const row = await shard.prepare("SELECT * FROM tenant_settings WHERE tenant_id = ?").bind(w.tenantA.id).first<Record<string, unknown>>();
    await shard.prepare("DELETE FROM tenant_settings WHERE tenant_id = ?").bind(w.tenantA.id).run();
    try {
      expect((await me(w.users.viewer.token)).status).toBe(401);
      expect((await browse(w.p1, w.users.viewer.token)).status).toBe(401);
    } finally {
      const columns = Object.keys(row!);
      await shard
        .prepare(`INSERT INTO tenant_settings (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
        .bind(...columns.map((c) => row![c]))
        .run();
    }
    expect((await me(w.users.viewer.token)).status).toBe(200);
  }, 60_000);

  it("reconciliation copies the record to a mirror that drifted, logs it, and then the credentials stop", async () => {
    const w = await buildWorld("status-drift");
    expect((await me(w.users.viewer.token)).status).toBe(200);
    // The record changed behind Kura's back (by hand, or a write that was interrupted).
    await env.CONTROL_DB.prepare("UPDATE tenants SET status = 'terminated' WHERE id = ?").bind(w.tenantA.id).run();
    const lines: string[] = [];
    const logger = createLogger({ requestId: "cron-test" }, (line) => lines.push(line));
    const corrected = await reconcileTenantStatus(env, logger);
    expect(corrected).toContain(w.tenantA.id);
    expect(corrected).not.toContain(w.tenantB.id);
    expect(lines.some((l) => l.includes("tenant_status_mirror_corrected") && l.includes(w.tenantA.id))).toBe(true);
    expect(await states(w.tenantA.id)).toEqual({ record: "terminated", mirror: "terminated" });
    expect((await me(w.users.viewer.token)).status).toBe(401);
    expect((await me(w.users.otherTenantAdmin.token)).status).toBe(200);
    // Nothing left to correct.
    expect(await reconcileTenantStatus(env, logger)).not.toContain(w.tenantA.id);
  }, 60_000);

  it("a terminated tenant's users cannot sign in (the control plane answers, as before)", async () => {
    const w = await buildWorld("status-login");
    expect(await setTenantStatus(env, w.tenantA.id, "terminated")).toBe(true);
    const res = await call("/api/v1/auth/login", {
      method: "POST",
      json: { tenant: w.tenantA.slug, email: w.users.member.email, password: "matrix-correct-horse-42" },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
  }, 60_000);
});
