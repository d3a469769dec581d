import { env } from "cloudflare:test";
import { setTenantStatus } from "~/.server/tenants/status.server";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "~/.server/auth/crypto.server";
import { call } from "../../support/http";
import { addUser, buildWorld, expectJson, login, PASSWORD, totpNow } from "../../support/world";
import { shardOf } from "../../support/shards";

const me = (token: string) => call("/api/v1/me", { token });

describe("sessions and tokens", () => {
  it("stores only hashes of session tokens", async () => {
    const w = await buildWorld("ses-hash");
    const db = await shardOf(w.tenantA.id);
    const token = w.users.member.token;
    const rows = await db.prepare("SELECT token_hash FROM sessions WHERE user_id = ?").bind(w.users.member.id).all<{ token_hash: string }>();
    expect(rows.results.map((r) => r.token_hash)).toContain(await sha256Hex(token));
    const dump = JSON.stringify((await db.prepare("SELECT * FROM sessions").all()).results);
    expect(dump).not.toContain(token.split(".")[2]);
  }, 60_000);

  it("expires a session that has been idle too long, and deletes it", async () => {
    const w = await buildWorld("ses-idle");
    const token = w.users.viewer.token;
    expect((await me(token)).status).toBe(200);
    const db = await shardOf(w.tenantA.id);
    const hash = await sha256Hex(token);
    const longAgo = new Date(Date.now() - 3 * 3600_000).toISOString(); // default idle limit: 120 min
    await db.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?").bind(longAgo, hash).run();
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    await expect.poll(async () => (await db.prepare("SELECT 1 FROM sessions WHERE token_hash = ?").bind(hash).first()) === null).toBe(true);
  }, 60_000);

  it("keeps an active session alive inside the idle window", async () => {
    const w = await buildWorld("ses-active");
    const token = w.users.viewer.token;
    const db = await shardOf(w.tenantA.id);
    const recent = new Date(Date.now() - 60 * 60_000).toISOString();
    await db
      .prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
      .bind(recent, await sha256Hex(token))
      .run();
    expect((await me(token)).status).toBe(200);
  }, 60_000);

  it("ends a session at its absolute expiry, however active", async () => {
    const w = await buildWorld("ses-abs");
    const token = w.users.viewer.token;
    const db = await shardOf(w.tenantA.id);
    await db
      .prepare("UPDATE sessions SET expires_at = ? WHERE token_hash = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), await sha256Hex(token))
      .run();
    expect((await me(token)).status).toBe(401);
  }, 60_000);

  it("refuses an expired personal API token", async () => {
    const w = await buildWorld("ses-pat");
    const created = await expectJson<{ id: string; token: string }>(
      call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "ci", expiresInDays: 1 } }),
      201,
    );
    expect((await me(created.token)).status).toBe(200);
    const db = await shardOf(w.tenantA.id);
    await db
      .prepare("UPDATE api_tokens SET expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), created.id)
      .run();
    expect((await me(created.token)).status).toBe(401);
  }, 60_000);

  it("does not accept a token whose tenant part was changed to another tenant", async () => {
    const w = await buildWorld("ses-forge");
    const [kind, , secret] = w.users.member.token.split(".");
    const forged = `${kind}.${w.tenantB.id}.${secret}`;
    expect((await me(forged)).status).toBe(401);
    expect((await me("kura_s.not-a-token")).status).toBe(401);
  }, 60_000);

  it("stops every credential of a tenant the moment it is no longer active", async () => {
    const w = await buildWorld("ses-term");
    const pat = await expectJson<{ token: string }>(call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "ci" } }), 201);
    expect(await setTenantStatus(env, w.tenantA.id, "terminated")).toBe(true);
    expect((await me(w.users.member.token)).status).toBe(401);
    expect((await me(pat.token)).status).toBe(401);
    const res = await call("/api/v1/auth/login", { method: "POST", json: { tenant: w.tenantA.slug, email: w.users.member.email, password: PASSWORD } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
    // The other tenant is untouched.
    expect((await me(w.users.otherTenantAdmin.token)).status).toBe(200);
  }, 60_000);

  it("ends every session and token of a user whose tenant role changes (both directions)", async () => {
    const w = await buildWorld("ses-role");
    const u = await addUser(w.users.tenantAdmin.token, w.tenantA.slug, "promoted@x.example");
    await expectJson(w.asAdmin(`/api/v1/users/${u.id}`, { method: "PATCH", json: { tenantRole: "tenant_admin" } }), 200);
    expect((await me(u.token)).status).toBe(401);
    const promoted = await login(w.tenantA.slug, u.email);
    expect(((await (await me(promoted)).json()) as { tenantRole: string }).tenantRole).toBe("tenant_admin");
    await expectJson(w.asAdmin(`/api/v1/users/${u.id}`, { method: "PATCH", json: { tenantRole: "user" } }), 200);
    expect((await me(promoted)).status).toBe(401);
  }, 60_000);
});

describe("two-factor reset by a tenant admin", () => {
  it("turns the user's 2FA off, ends their sessions, and lets them sign in with the password alone", async () => {
    const w = await buildWorld("ses-2fa-reset");
    const secret = (await expectJson<{ secret: string }>(call("/api/v1/auth/totp/enroll", { method: "POST", token: w.users.member.token }), 200)).secret;
    await expectJson(call("/api/v1/auth/totp/confirm", { method: "POST", token: w.users.member.token, json: { otp: totpNow(secret) } }), 200);
    const noOtp = await call("/api/v1/auth/login", { method: "POST", json: { tenant: w.tenantA.slug, email: w.users.member.email, password: PASSWORD } });
    expect(((await noOtp.json()) as { error: { code: string } }).error.code).toBe("otp_required");

    const updated = await expectJson<{ twoFactorEnabled: boolean }>(
      w.asAdmin(`/api/v1/users/${w.users.member.id}`, { method: "PATCH", json: { resetTwoFactor: true } }),
      200,
    );
    expect(updated.twoFactorEnabled).toBe(false);
    expect((await me(w.users.member.token)).status).toBe(401);
    const token = await login(w.tenantA.slug, w.users.member.email);
    expect(((await (await me(token)).json()) as { twoFactorEnabled: boolean }).twoFactorEnabled).toBe(false);
    const db = await shardOf(w.tenantA.id);
    expect((await db.prepare("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?").bind(w.users.member.id).first<{ n: number }>())?.n).toBe(0);
  }, 60_000);
});
