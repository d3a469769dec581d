/**
 * Contract: Authentication (/auth/*, /me), black-box through the Worker.
 */
import { env } from "cloudflare:test";
import { setTenantStatus } from "~/.server/tenants/status.server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  api,
  createTenant,
  createTenantWithAdmin,
  createUser,
  enableTotp,
  enrollTotp,
  expectError,
  expectStatus,
  expectValidation,
  freshIp,
  inviteUser,
  linkToken,
  login,
  loginRequest,
  longPassword,
  me,
  outbox,
  OTHER_STRONG_PASSWORD,
  setupPassword,
  STRONG_PASSWORD,
  uniqueEmail,
  waitForMail,
  type TenantFixture,
} from "../../support/identity";

// Black-box flows make dozens of requests through the Worker; 5 s is too tight under load.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let fx: TenantFixture;

beforeAll(async () => {
  fx = await createTenantWithAdmin();
});

/** Ages every one-time token of a tenant past its expiry (in the real tenant shard). */
async function expireOneTimeTokens(tenantId: string) {
  const past = new Date(Date.now() - 60_000).toISOString();
  for (const db of [env.TENANT_DB_S0, env.TENANT_DB_S1]) {
    await db.prepare("UPDATE one_time_tokens SET expires_at = ? WHERE tenant_id = ?").bind(past, tenantId).run();
  }
}

describe("POST /auth/setup", () => {
  it("sets the first admin's password with adminSetupToken (200), and the admin can log in", async () => {
    const { tenant, adminSetupToken, adminEmail } = await createTenant();
    const res = await setupPassword(adminSetupToken, STRONG_PASSWORD);
    expectStatus(res, 200, "setup");
    const session = await login({ tenant: tenant.slug, email: adminEmail, password: STRONG_PASSWORD });
    expect(session.user.tenantRole).toBe("tenant_admin");
    expect(session.user.tenant).toEqual({ id: tenant.id, slug: tenant.slug, name: tenant.name });
  });

  it("is single use: a second use of the same token is 400 bad_request and does not change the password", async () => {
    const { tenant, adminSetupToken, adminEmail } = await createTenant();
    expectStatus(await setupPassword(adminSetupToken, STRONG_PASSWORD), 200);
    expectError(await setupPassword(adminSetupToken, OTHER_STRONG_PASSWORD), 400, "bad_request", "second use");
    await login({ tenant: tenant.slug, email: adminEmail, password: STRONG_PASSWORD });
    expectError(await loginRequest({ tenant: tenant.slug, email: adminEmail, password: OTHER_STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");
  });

  it("rejects a malformed or unknown token with 400 bad_request", async () => {
    for (const token of ["garbage", "", "kura_o.tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]) {
      const res = await setupPassword(token, STRONG_PASSWORD);
      expect(res.status, `token ${JSON.stringify(token)}: ${res.text}`).toBe(400);
      expect(["bad_request", "validation_failed"]).toContain((res.body as { error: { code: string } }).error.code);
    }
    expectError(await setupPassword("kura_o.tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", STRONG_PASSWORD), 400, "bad_request");
  });

  it("a setup token lives 7 days", async () => {
    const before = Date.now();
    const { tenant } = await createTenant();
    let expiresAt: string | null = null;
    for (const db of [env.TENANT_DB_S0, env.TENANT_DB_S1]) {
      const row = await db
        .prepare("SELECT expires_at FROM one_time_tokens WHERE tenant_id = ? AND purpose = 'setup'")
        .bind(tenant.id)
        .first<{ expires_at: string }>();
      expiresAt ??= row?.expires_at ?? null;
    }
    expect(expiresAt).not.toBeNull();
    const sevenDays = 7 * 86_400_000;
    expect(Date.parse(expiresAt!)).toBeGreaterThanOrEqual(before + sevenDays - 1000);
    expect(Date.parse(expiresAt!)).toBeLessThanOrEqual(Date.now() + sevenDays + 1000);
  });

  it("rejects an expired token with 400 bad_request", async () => {
    const { tenant, adminSetupToken, adminEmail } = await createTenant();
    await expireOneTimeTokens(tenant.id);
    expectError(await setupPassword(adminSetupToken, STRONG_PASSWORD), 400, "bad_request", "expired token");
    expectError(await loginRequest({ tenant: tenant.slug, email: adminEmail, password: STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");
  });

  it.each([
    ["too short (11 characters)", "abcdefghij1"],
    ["too long (257 characters)", longPassword(257)],
    ["a common password", "password1234"],
    ["a common password of the list, other case", "QWERTY123456"],
  ])("rejects a weak password (%s) with 400 validation_failed on path password, without using up the token", async (_what, password) => {
    const { tenant, adminSetupToken, adminEmail } = await createTenant();
    expectValidation(await setupPassword(adminSetupToken, password), "password", _what);
    expectStatus(await setupPassword(adminSetupToken, STRONG_PASSWORD), 200, "the token still works after a refused password");
    await login({ tenant: tenant.slug, email: adminEmail, password: STRONG_PASSWORD });
  });

  it("accepts exactly 12 and exactly 256 characters", async () => {
    const a = await createTenant();
    expectStatus(await setupPassword(a.adminSetupToken, "q7-zebra-min"), 200, "12 characters");
    const b = await createTenant();
    expectStatus(await setupPassword(b.adminSetupToken, longPassword(256)), 200, "256 characters");
  });

  it("counts characters, not bytes or UTF-16 units", async () => {
    // 11 emoji = 22 UTF-16 units, 44 bytes, but 11 characters: too short.
    const a = await createTenant();
    expectValidation(await setupPassword(a.adminSetupToken, "🔑".repeat(11)), "password", "11 emoji");
    // 12 kana: 12 characters (36 UTF-8 bytes) is enough.
    expectStatus(await setupPassword(a.adminSetupToken, "さくらもみじふじやまうみ"), 200, "12 kana");
  });
});

describe("POST /auth/login", () => {
  it("returns {token, expiresAt, user} with the user's profile", async () => {
    const before = Date.now();
    const res = await loginRequest({ tenant: fx.tenant.slug, email: fx.admin.email, password: STRONG_PASSWORD });
    expectStatus(res, 200);
    const body = res.body;
    expect(typeof body.token).toBe("string");
    expect(body.token.length).toBeGreaterThanOrEqual(32);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(before);
    expect(body.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(body.user).toMatchObject({
      id: fx.admin.id,
      email: fx.admin.email,
      tenant: { id: fx.tenant.id, slug: fx.tenant.slug, name: fx.tenant.name },
      tenantRole: "tenant_admin",
      twoFactorEnabled: false,
    });
    expect(body.user).toHaveProperty("name");
    expect(body.user).toHaveProperty("locale");
    expect(JSON.stringify(body)).not.toMatch(/argon2|passwordHash|totpSecret/i);
  });

  it("matches the e-mail case-insensitively and the tenant slug as given", async () => {
    const res = await loginRequest({ tenant: fx.tenant.slug, email: fx.admin.email.toUpperCase(), password: STRONG_PASSWORD });
    expectStatus(res, 200);
    expect(res.body.user.id).toBe(fx.admin.id);
  });

  it("gives the identical 401 invalid_credentials for wrong tenant, e-mail, password, invited, disabled and deleted users", async () => {
    const ip = freshIp();
    const invited = await inviteUser(fx.admin.token);
    const disabled = await createUser(fx);
    expectStatus(await api(`/users/${disabled.id}`, { method: "PATCH", token: fx.admin.token, json: { disabled: true } }), 200, "disable");
    const deleted = await createUser(fx);
    expectStatus(await api(`/users/${deleted.id}`, { method: "DELETE", token: fx.admin.token }), 204, "delete");

    const attempts = [
      ["wrong tenant", { tenant: "no-such-tenant-zz", email: fx.admin.email, password: STRONG_PASSWORD }],
      ["wrong e-mail", { tenant: fx.tenant.slug, email: uniqueEmail("nobody"), password: STRONG_PASSWORD }],
      ["wrong password", { tenant: fx.tenant.slug, email: fx.admin.email, password: "wrong-password-but-long" }],
      ["invited, no password yet", { tenant: fx.tenant.slug, email: invited.email, password: STRONG_PASSWORD }],
      ["disabled user", { tenant: fx.tenant.slug, email: disabled.email, password: STRONG_PASSWORD }],
      ["deleted user", { tenant: fx.tenant.slug, email: deleted.email, password: STRONG_PASSWORD }],
    ] as const;
    const bodies: string[] = [];
    for (const [what, creds] of attempts) {
      const res = await loginRequest({ ...creds, ip });
      expectError(res, 401, "invalid_credentials", what);
      expect(res.body).not.toHaveProperty("token");
      bodies.push(res.text);
    }
    expect(new Set(bodies).size, `bodies differ:\n${bodies.join("\n")}`).toBe(1);
  });

  it("rejects a missing field with 400 validation_failed", async () => {
    const res = await api(`/auth/login`, { json: { tenant: fx.tenant.slug, email: fx.admin.email }, ip: freshIp() });
    expectValidation(res, "password");
  });

  it("after 10 failures for one account in 15 minutes answers 429 rate_limited with Retry-After, even with the right password and from another IP", async () => {
    const user = await createUser(fx);
    for (let i = 0; i < 10; i++) {
      expectError(
        await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: `wrong-password-${i}-abcdef`, ip: freshIp() }),
        401,
        "invalid_credentials",
        `failure ${i + 1}`,
      );
    }
    for (const ip of [freshIp(), freshIp()]) {
      const res = await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip });
      expectError(res, 429, "rate_limited", "11th attempt with the right password");
      const retryAfter = res.headers.get("Retry-After");
      expect(retryAfter, "Retry-After header").toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(15 * 60);
    }
    // Other accounts are not affected.
    await login({ tenant: fx.tenant.slug, email: fx.admin.email, password: STRONG_PASSWORD, ip: freshIp() });
  });

  it("a success before the limit resets the count of failures", async () => {
    const user = await createUser(fx);
    const ip = freshIp();
    for (let i = 0; i < 9; i++) {
      expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: `nope-nope-nope-${i}`, ip }), 401, "invalid_credentials");
    }
    await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip });
    for (let i = 0; i < 2; i++) {
      expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: `nope-again-${i}-xx`, ip }), 401, "invalid_credentials");
    }
    await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip });
  });
});

describe("session tokens, /me and logout", () => {
  it("GET /me answers as the login's user", async () => {
    const user = await createUser(fx, { name: "山田 花子" });
    const session = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    const res = await me(session.token);
    expectStatus(res, 200);
    expect(res.body).toEqual(session.user);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, name: "山田 花子", tenantRole: "user", twoFactorEnabled: false });
  });

  it("GET /me without a token, with a garbage token or with a cookie is 401 unauthenticated", async () => {
    expectError(await me(""), 401, "unauthenticated", "no token");
    expectError(await api(`/me`, { headers: { Authorization: "Bearer garbage" } }), 401, "unauthenticated", "garbage");
    expectError(await api(`/me`, { headers: { Authorization: "Basic " + btoa("a:b") } }), 401, "unauthenticated", "basic");
    expectError(await api(`/me`, { headers: { Cookie: `kura_session=${fx.admin.token}` } }), 401, "unauthenticated", "cookie");
  });

  it("POST /auth/logout is 204 and revokes only that token", async () => {
    const user = await createUser(fx);
    const other = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    const res = await api(`/auth/logout`, { method: "POST", token: user.token });
    expectStatus(res, 204);
    expect(res.text).toBe("");
    expectError(await me(user.token), 401, "unauthenticated", "after logout");
    expectStatus(await me(other.token), 200, "the other session lives on");
  });

  it("POST /auth/logout without a token is 401", async () => {
    expectError(await api(`/auth/logout`, { method: "POST" }), 401, "unauthenticated");
  });
});

describe("POST /auth/password", () => {
  it("changes the password (204), revokes every OTHER session and API token, and keeps the calling token", async () => {
    const user = await createUser(fx);
    const second = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    const pat = await api<{ id: string; token: string }>(`/auth/tokens`, { token: second.token, json: { name: "ci" } });
    expectStatus(pat, 201);

    const res = await api(`/auth/password`, { token: user.token, json: { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD } });
    expectStatus(res, 204);
    expect(res.text).toBe("");

    expectStatus(await me(user.token), 200, "calling token keeps working");
    expectError(await me(second.token), 401, "unauthenticated", "other session");
    expectError(await me(pat.body.token), 401, "unauthenticated", "personal API token");
    expectError(
      await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() }),
      401,
      "invalid_credentials",
      "old password",
    );
    await login({ tenant: fx.tenant.slug, email: user.email, password: OTHER_STRONG_PASSWORD });
  });

  it("called with a personal API token keeps that token and revokes the sessions", async () => {
    const user = await createUser(fx);
    const pat = await api<{ id: string; token: string }>(`/auth/tokens`, { token: user.token, json: { name: "script" } });
    expectStatus(pat, 201);
    expectStatus(await api(`/auth/password`, { token: pat.body.token, json: { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD } }), 204);
    expectStatus(await me(pat.body.token), 200, "calling API token");
    expectError(await me(user.token), 401, "unauthenticated", "session");
  });

  it("rejects a wrong current password with 400 validation_failed (currentPassword) and changes nothing", async () => {
    const user = await createUser(fx);
    const other = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    const res = await api(`/auth/password`, {
      token: user.token,
      json: { currentPassword: "not-my-password-at-all", newPassword: OTHER_STRONG_PASSWORD },
      ip: freshIp(),
    });
    expectValidation(res, "currentPassword");
    expectStatus(await me(other.token), 200, "other session still valid");
    await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
  });

  it("rejects a weak new password with 400 validation_failed (newPassword)", async () => {
    const user = await createUser(fx);
    for (const newPassword of ["short-one", "password1234", "y".repeat(257)]) {
      expectValidation(
        await api(`/auth/password`, { token: user.token, json: { currentPassword: STRONG_PASSWORD, newPassword } }),
        "newPassword",
        newPassword.slice(0, 20),
      );
    }
    await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
  });

  it("needs a token (401)", async () => {
    expectError(await api(`/auth/password`, { json: { currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD } }), 401, "unauthenticated");
  });
});

describe("POST /auth/password-reset", () => {
  it("answers 202 with the same body for existing and unknown accounts, and mails only existing active users", async () => {
    const user = await createUser(fx);
    const ghost = uniqueEmail("ghost");
    const ip = freshIp();
    const real = await api(`/auth/password-reset`, { json: { tenant: fx.tenant.slug, email: user.email }, ip });
    const unknownUser = await api(`/auth/password-reset`, { json: { tenant: fx.tenant.slug, email: ghost }, ip });
    const unknownTenant = await api(`/auth/password-reset`, { json: { tenant: "no-such-tenant-qq", email: user.email }, ip });
    for (const [what, res] of [
      ["existing", real],
      ["unknown e-mail", unknownUser],
      ["unknown tenant", unknownTenant],
    ] as const) {
      expectStatus(res, 202, what);
    }
    expect(unknownUser.text).toBe(real.text);
    expect(unknownTenant.text).toBe(real.text);

    const mail = await waitForMail(user.email, (m) => m.text.includes("/reset-password?token="));
    expect(mail, "reset mail in the outbox").not.toBeNull();
    expect(mail!.to.toLowerCase()).toBe(user.email.toLowerCase());
    expect(typeof mail!.subject).toBe("string");
    expect(linkToken(mail!.text, "reset-password")).toBeTruthy();

    // Give the background work of the unknown account the same time, then check.
    await new Promise((r) => setTimeout(r, 300));
    expect(await outbox(ghost)).toEqual([]);
  });

  it("mails a single-use token that sets a new password with POST /auth/setup and revokes the user's sessions", async () => {
    const user = await createUser(fx);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "reset-victim" } });
    expectStatus(pat, 201);
    expectStatus(await api(`/auth/password-reset`, { json: { tenant: fx.tenant.slug, email: user.email.toUpperCase() }, ip: freshIp() }), 202);
    const mail = await waitForMail(user.email, (m) => m.text.includes("/reset-password?token="));
    expect(mail, "reset mail").not.toBeNull();
    const token = linkToken(mail!.text, "reset-password")!;

    expectStatus(await setupPassword(token, OTHER_STRONG_PASSWORD), 200, "reset with the mailed token");
    expectError(await me(user.token), 401, "unauthenticated", "old session after reset");
    expectError(await me(pat.body.token), 401, "unauthenticated", "old API token after reset");
    expectError(await setupPassword(token, "yet-another-passphrase-9"), 400, "bad_request", "second use of the reset token");
    expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");
    await login({ tenant: fx.tenant.slug, email: user.email, password: OTHER_STRONG_PASSWORD });
  });

  it("a body without tenant is refused by its schema (400 validation_failed) or accepted blindly (202), and sends nothing", async () => {
    // The contract says 202 "whatever the input" (about accounts); a schema
    // failure may still be a 400. Either way nothing is revealed or sent.
    const email = uniqueEmail("noslug");
    const res = await api(`/auth/password-reset`, { json: { email }, ip: freshIp() });
    expect([202, 400], res.text).toContain(res.status);
    if (res.status === 400) expectValidation(res, "tenant");
    await new Promise((r) => setTimeout(r, 200));
    expect(await outbox(email)).toEqual([]);
  });
});

describe("TOTP two-factor authentication", () => {
  it("enroll returns a base32 secret and an otpauth URI; confirm with a wrong code is 401 invalid_otp", async () => {
    const user = await createUser(fx);
    const { secret, otpauthUri, device } = await enrollTotp(user.token);
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(device.key.length).toBeGreaterThanOrEqual(10);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(otpauthUri).searchParams.get("secret")?.replace(/=+$/, "")).toBe(secret.replace(/=+$/, ""));

    const good = await device.next();
    const wrong = good === "000000" ? "111111" : "000000";
    expectError(await api(`/auth/totp/confirm`, { token: user.token, json: { otp: wrong } }), 401, "invalid_otp", "wrong code");
    const me1 = await me(user.token);
    expect(me1.body.twoFactorEnabled).toBe(false);

    const ok = await api<{ recoveryCodes: string[] }>(`/auth/totp/confirm`, { token: user.token, json: { otp: good } });
    expectStatus(ok, 200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(new Set(ok.body.recoveryCodes).size).toBe(10);
    for (const c of ok.body.recoveryCodes) expect(typeof c).toBe("string");
    expect((await me(user.token)).body.twoFactorEnabled).toBe(true);
  });

  it("login: no otp → 401 otp_required, wrong → invalid_otp, right → 200, replayed → invalid_otp", async () => {
    const user = await createUser(fx);
    const { device } = await enableTotp(user.token);
    const base = { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() };

    const noOtp = await loginRequest(base);
    expectError(noOtp, 401, "otp_required", "no otp");
    expect(noOtp.body).not.toHaveProperty("token");

    const code = await device.next();
    const wrong = code === "123456" ? "654321" : "123456";
    expectError(await loginRequest({ ...base, otp: wrong }), 401, "invalid_otp", "wrong otp");

    const ok = await loginRequest({ ...base, otp: code });
    expectStatus(ok, 200, "right otp");
    expect(ok.body.user.twoFactorEnabled).toBe(true);

    expectError(await loginRequest({ ...base, otp: code }), 401, "invalid_otp", "replayed otp");
  });

  it("a wrong password with 2FA enabled is still invalid_credentials (the otp step is not revealed)", async () => {
    const user = await createUser(fx);
    const { device } = await enableTotp(user.token);
    expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: "wrong-password-here", ip: freshIp() }), 401, "invalid_credentials");
    expectError(
      await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: "wrong-password-here", otp: await device.next(), ip: freshIp() }),
      401,
      "invalid_credentials",
    );
  });

  it("a recovery code works once in place of the otp", async () => {
    const user = await createUser(fx);
    const { recoveryCodes } = await enableTotp(user.token);
    const base = { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() };
    const code = recoveryCodes[3]!;
    expectStatus(await loginRequest({ ...base, otp: code }), 200, "first use of a recovery code");
    expectError(await loginRequest({ ...base, otp: code }), 401, "invalid_otp", "second use of the recovery code");
    expectStatus(await loginRequest({ ...base, otp: recoveryCodes[4]! }), 200, "another recovery code");
  });

  it("the code that confirmed enrolment cannot be replayed at login", async () => {
    const user = await createUser(fx);
    const { device } = await enableTotp(user.token);
    const res = await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, otp: device.lastCode(), ip: freshIp() });
    expectError(res, 401, "invalid_otp", "replay of the confirmation code");
  });

  it("re-enrolling invalidates the old secret and the old recovery codes", async () => {
    const user = await createUser(fx);
    const first = await enableTotp(user.token);
    expectStatus(await api(`/auth/totp`, { method: "DELETE", token: user.token, json: { password: STRONG_PASSWORD } }), 204);
    const second = await enableTotp(user.token);
    expect(second.secret).not.toBe(first.secret);
    const base = { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() };
    expectError(await loginRequest({ ...base, otp: first.recoveryCodes[0]! }), 401, "invalid_otp", "old recovery code");
    const oldDeviceCode = await first.device.next();
    if (oldDeviceCode !== second.device.lastCode()) {
      expectError(await loginRequest({ ...base, otp: oldDeviceCode }), 401, "invalid_otp", "old device");
    }
    expectStatus(await loginRequest({ ...base, otp: second.recoveryCodes[0]! }), 200, "new recovery code");
  });

  it("DELETE /auth/totp needs the password (wrong → 400 validation_failed), then login needs no otp", async () => {
    const user = await createUser(fx);
    await enableTotp(user.token);
    expectValidation(await api(`/auth/totp`, { method: "DELETE", token: user.token, json: { password: "not-the-password-x" }, ip: freshIp() }), "password");
    expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD }), 401, "otp_required", "still on");

    const res = await api(`/auth/totp`, { method: "DELETE", token: user.token, json: { password: STRONG_PASSWORD } });
    expectStatus(res, 204);
    // Both switches are recorded with the user's name at the time, like every other user event.
    const log = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(fx.tenant.id));
    for (const action of ["auth.totp_enabled", "auth.totp_disabled"]) {
      const events = (await log.query({ action, limit: 50 })).items.filter((e) => e.target.id === user.id);
      expect(
        events.map((e) => e.target.name),
        action,
      ).toEqual([user.email]);
    }
    const session = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    expect(session.user.twoFactorEnabled).toBe(false);
    expect((await me(user.token)).body.twoFactorEnabled).toBe(false);
  });

  it("the TOTP endpoints need a token", async () => {
    expectError(await api(`/auth/totp/enroll`, { method: "POST", json: {} }), 401, "unauthenticated");
    expectError(await api(`/auth/totp/confirm`, { json: { otp: "123456" } }), 401, "unauthenticated");
    expectError(await api(`/auth/totp`, { method: "DELETE", json: { password: STRONG_PASSWORD } }), 401, "unauthenticated");
  });
});

describe("tenant setting require2fa", () => {
  it("a user without 2FA gets a token that reaches only /me, /auth/totp/* and /auth/logout until enrolment is confirmed", async () => {
    const t = await createTenantWithAdmin();
    // Both users exist (password set) before the setting changes.
    const invited = [await inviteUser(t.admin.token), await inviteUser(t.admin.token)];
    for (const i of invited) expectStatus(await setupPassword(i.setupToken, STRONG_PASSWORD), 200);
    expectStatus(await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { require2fa: true } }), 200, "require2fa on");

    const session = await login({ tenant: t.tenant.slug, email: invited[0]!.email, password: STRONG_PASSWORD });
    expect(session.user.twoFactorEnabled).toBe(false);
    expectStatus(await me(session.token), 200, "/me is allowed");
    expectError(await api(`/projects`, { token: session.token }), 403, "forbidden", "GET /projects before enrolment");
    expectError(await api(`/auth/tokens`, { token: session.token, json: { name: "sneaky" } }), 403, "forbidden", "POST /auth/tokens before enrolment");
    expectError(await api(`/metadata-fields`, { token: session.token }), 403, "forbidden", "GET /metadata-fields before enrolment");

    const { device } = await enrollTotp(session.token);
    expectError(await api(`/projects`, { token: session.token }), 403, "forbidden", "after enroll, before confirm");
    expectStatus(await api(`/auth/totp/confirm`, { token: session.token, json: { otp: await device.next() } }), 200, "confirm");
    expectStatus(await api(`/projects`, { token: session.token }), 200, "GET /projects after confirmation");

    // Logout is allowed for a restricted token too.
    const restricted = await login({ tenant: t.tenant.slug, email: invited[1]!.email, password: STRONG_PASSWORD });
    expectError(await api(`/projects`, { token: restricted.token }), 403, "forbidden", "second user before enrolment");
    expectStatus(await api(`/auth/logout`, { method: "POST", token: restricted.token }), 204, "logout with a restricted token");
    expectError(await me(restricted.token), 401, "unauthenticated", "after logout");
  });
});

describe("require2fa and credentials issued before it", () => {
  it("sessions and personal API tokens of users without 2FA are restricted as soon as 2FA is required", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "before" } });
    expectStatus(pat, 201);
    expectStatus(await api(`/projects`, { token: pat.body.token }), 200, "before the setting");
    await enableTotp(t.admin.token);
    expectStatus(await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { require2fa: true } }), 200);
    expectError(await api(`/projects`, { token: user.token }), 403, "forbidden", "session issued before");
    expectError(await api(`/projects`, { token: pat.body.token }), 403, "forbidden", "API token issued before");
    expectStatus(await me(user.token), 200, "/me still works");
    expectStatus(await api(`/users`, { token: t.admin.token }), 200, "the admin has 2FA");
  });
});

describe("personal API tokens", () => {
  it("POST /auth/tokens → 201 {id, token, name, expiresAt}; the token authenticates; list never shows it; DELETE revokes", async () => {
    const user = await createUser(fx);
    const before = Date.now();
    const res = await api<{ id: string; token: string; name: string; expiresAt: string }>(`/auth/tokens`, {
      token: user.token,
      json: { name: "render farm", expiresInDays: 30 },
    });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ id: expect.any(String), token: expect.any(String), name: "render farm" });
    const expires = Date.parse(res.body.expiresAt);
    expect(expires).toBeGreaterThan(before + 29 * 86_400_000);
    expect(expires).toBeLessThan(Date.now() + 31 * 86_400_000);

    const who = await me(res.body.token);
    expectStatus(who, 200);
    expect(who.body.id).toBe(user.id);

    const list = await api<{ items: { id: string; name: string }[] }>(`/auth/tokens`, { token: user.token });
    expectStatus(list, 200);
    expect(list.body.items.map((t) => t.id)).toContain(res.body.id);
    expect(list.body.items.find((t) => t.id === res.body.id)?.name).toBe("render farm");
    expect(list.text).not.toContain(res.body.token);

    const del = await api(`/auth/tokens/${res.body.id}`, { method: "DELETE", token: user.token });
    expectStatus(del, 204);
    expectError(await me(res.body.token), 401, "unauthenticated", "deleted token");
    const after = await api<{ items: { id: string }[] }>(`/auth/tokens`, { token: user.token });
    expect(after.body.items.map((t) => t.id)).not.toContain(res.body.id);
  });

  it("works without expiresInDays and gives a future expiry", async () => {
    const user = await createUser(fx);
    const res = await api<{ id: string; token: string; expiresAt: string }>(`/auth/tokens`, { token: user.token, json: { name: "default" } });
    expectStatus(res, 201);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    expectStatus(await me(res.body.token), 200);
  });

  it("another user's token id is 404 not_found and the token survives", async () => {
    const owner = await createUser(fx);
    const intruder = await createUser(fx);
    const res = await api<{ id: string; token: string }>(`/auth/tokens`, { token: owner.token, json: { name: "mine" } });
    expectStatus(res, 201);
    expectError(await api(`/auth/tokens/${res.body.id}`, { method: "DELETE", token: intruder.token }), 404, "not_found", "intruder delete");
    expectError(
      await api(`/auth/tokens/${res.body.id}`, { method: "DELETE", token: fx.admin.token }),
      404,
      "not_found",
      "admin delete of someone else's token",
    );
    expectStatus(await me(res.body.token), 200, "token still works");
    const theirs = await api<{ items: { id: string }[] }>(`/auth/tokens`, { token: intruder.token });
    expect(theirs.body.items.map((t) => t.id)).not.toContain(res.body.id);
  });

  it("rejects a missing name with 400 validation_failed", async () => {
    expectValidation(await api(`/auth/tokens`, { token: fx.admin.token, json: {} }), "name");
  });
});

describe("credentials are stored hashed, expire and race safely", () => {
  /** Every row of the tenant in the shards, as text. */
  async function tenantRowsText(tenantId: string): Promise<string> {
    const parts: string[] = [];
    for (const db of [env.TENANT_DB_S0, env.TENANT_DB_S1]) {
      for (const table of ["sessions", "api_tokens", "one_time_tokens", "users"]) {
        const rows = await db.prepare(`SELECT * FROM ${table} WHERE tenant_id = ?`).bind(tenantId).all();
        parts.push(JSON.stringify(rows.results));
      }
    }
    return parts.join("\n");
  }

  it("no session, API token, setup token or password is stored in clear", async () => {
    const t = await createTenantWithAdmin();
    const invited = await inviteUser(t.admin.token);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: t.admin.token, json: { name: "x" } });
    expectStatus(pat, 201);
    const stored = await tenantRowsText(t.tenant.id);
    expect(stored.length).toBeGreaterThan(100);
    const secretOf = (token: string) => token.split(".").at(-1)!;
    for (const [what, token] of [
      ["session", t.admin.token],
      ["API token", pat.body.token],
      ["setup token", invited.setupToken],
    ] as const) {
      expect(stored, what).not.toContain(token);
      expect(stored, what).not.toContain(secretOf(token));
    }
    expect(stored).not.toContain(STRONG_PASSWORD);
  });

  it("an expired session token and an expired API token give 401", async () => {
    const user = await createUser(fx);
    const pat = await api<{ id: string; token: string }>(`/auth/tokens`, { token: user.token, json: { name: "short-lived" } });
    expectStatus(pat, 201);
    const past = new Date(Date.now() - 1000).toISOString();
    for (const db of [env.TENANT_DB_S0, env.TENANT_DB_S1]) {
      await db.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(past, user.id).run();
      await db.prepare("UPDATE api_tokens SET expires_at = ? WHERE id = ?").bind(past, pat.body.id).run();
    }
    expectError(await me(user.token), 401, "unauthenticated", "expired session");
    expectError(await me(pat.body.token), 401, "unauthenticated", "expired API token");
  });

  it("of two concurrent uses of one setup token exactly one wins", async () => {
    const { tenant, adminSetupToken, adminEmail } = await createTenant();
    const results = await Promise.all([setupPassword(adminSetupToken, STRONG_PASSWORD), setupPassword(adminSetupToken, OTHER_STRONG_PASSWORD)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const winner = results[0]!.status === 200 ? STRONG_PASSWORD : OTHER_STRONG_PASSWORD;
    await login({ tenant: tenant.slug, email: adminEmail, password: winner });
  });

  it("of two concurrent logins with the same TOTP code exactly one succeeds", async () => {
    const user = await createUser(fx);
    const { device } = await enableTotp(user.token);
    const code = await device.next();
    const base = { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, otp: code };
    const results = await Promise.all([loginRequest({ ...base, ip: freshIp() }), loginRequest({ ...base, ip: freshIp() })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect((results.find((r) => r.status === 401)!.body as unknown as { error: { code: string } }).error.code).toBe("invalid_otp");
  });

  it("of two concurrent logins with the same recovery code exactly one succeeds", async () => {
    const user = await createUser(fx);
    const { recoveryCodes } = await enableTotp(user.token);
    const base = { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, otp: recoveryCodes[0]! };
    const results = await Promise.all([loginRequest({ ...base, ip: freshIp() }), loginRequest({ ...base, ip: freshIp() })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("repeated wrong one-time codes are throttled: 429 rate_limited with Retry-After, even for the right code", async () => {
    const user = await createUser(fx);
    const { device } = await enableTotp(user.token);
    const base = { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD };
    const right = await device.next();
    let throttled: Awaited<ReturnType<typeof loginRequest>> | null = null;
    for (let i = 0; i < 12 && !throttled; i++) {
      const wrong = String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0");
      const res = await loginRequest({ ...base, otp: wrong, ip: freshIp() });
      if (res.status === 429) throttled = res;
      else expectError(res, 401, "invalid_otp", `wrong code ${i + 1}`);
    }
    const res = throttled ?? (await loginRequest({ ...base, otp: right, ip: freshIp() }));
    expectError(res, 429, "rate_limited", "after 12 wrong codes");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    expectError(await loginRequest({ ...base, otp: right, ip: freshIp() }), 429, "rate_limited", "the right code while throttled");
  });
});

describe("terminated tenant", () => {
  it("its users get invalid_credentials at login and their tokens stop working", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "x" } });
    expectStatus(pat, 201);
    // POST /operator/tenants/{id}/terminate comes with the offboarding issue;
    // until then the contract state is changed by the function it will call
    // (the control plane and the shard's mirror, ADR 0015).
    expect(await setTenantStatus(env, t.tenant.id, "terminated")).toBe(true);
    expectError(await me(user.token), 401, "unauthenticated", "session after termination");
    expectError(await me(pat.body.token), 401, "unauthenticated", "API token after termination");
    const res = await loginRequest({ tenant: t.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() });
    expectError(res, 401, "invalid_credentials", "login after termination");
    const unknown = await loginRequest({ tenant: "no-such-tenant-zz", email: user.email, password: STRONG_PASSWORD, ip: freshIp() });
    expect(res.text).toBe(unknown.text);
  });
});

describe("more credential edges", () => {
  it("logout with a personal API token revokes that token", async () => {
    const user = await createUser(fx);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "x" } });
    expectStatus(pat, 201);
    expectStatus(await api(`/auth/logout`, { method: "POST", token: pat.body.token }), 204);
    expectError(await me(pat.body.token), 401, "unauthenticated", "API token after logout");
    expectStatus(await me(user.token), 200, "the session lives on");
  });

  it("a setup token is not a bearer credential", async () => {
    const invited = await inviteUser(fx.admin.token);
    expectError(await me(invited.setupToken), 401, "unauthenticated", "setup token as bearer");
    expectStatus(await setupPassword(invited.setupToken, STRONG_PASSWORD), 200, "the token is still unused");
  });

  it("the setup token of a user who was disabled or deleted before using it is 400 bad_request", async () => {
    const a = await inviteUser(fx.admin.token);
    expectStatus(await api(`/users/${a.user.id}`, { method: "PATCH", token: fx.admin.token, json: { disabled: true } }), 200);
    expectError(await setupPassword(a.setupToken, STRONG_PASSWORD), 400, "bad_request", "disabled invitee");
    expectError(await loginRequest({ tenant: fx.tenant.slug, email: a.email, password: STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");

    const b = await inviteUser(fx.admin.token);
    expectStatus(await api(`/users/${b.user.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    expectError(await setupPassword(b.setupToken, STRONG_PASSWORD), 400, "bad_request", "deleted invitee");
  });

  it("no reset e-mail for a disabled user (same 202 answer)", async () => {
    const user = await createUser(fx);
    expectStatus(await api(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { disabled: true } }), 200);
    const res = await api(`/auth/password-reset`, { json: { tenant: fx.tenant.slug, email: user.email }, ip: freshIp() });
    expectStatus(res, 202);
    await new Promise((r) => setTimeout(r, 300));
    const mails = await outbox(user.email);
    expect(mails.filter((m) => m.text.includes("/reset-password?token="))).toEqual([]);
  });

  it("the operator token is no key to tenant endpoints", async () => {
    const token = "test-operator-token-0123456789abcdef";
    for (const path of ["/me", "/users", "/projects", "/tenant/settings", "/roles"]) {
      const res = await api(path, { token });
      expect([401, 403], `${path} with the operator token → ${res.status}`).toContain(res.status);
      expect(res.body).toHaveProperty("error");
    }
  });

  it("/me follows an admin's change of the user's name", async () => {
    const user = await createUser(fx);
    expectStatus(await api(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { name: "Renamed Person" } }), 200);
    expect((await me(user.token)).body.name).toBe("Renamed Person");
  });

  it("with require2fa on, a user who turns 2FA off is restricted again until re-enrolment", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    await enableTotp(user.token);
    expectStatus(await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { require2fa: true } }), 200);
    expectStatus(await api(`/projects`, { token: user.token }), 200, "enrolled user");
    expectStatus(await api(`/auth/totp`, { method: "DELETE", token: user.token, json: { password: STRONG_PASSWORD } }), 204);
    const session = await login({ tenant: t.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    expectError(await api(`/projects`, { token: session.token }), 403, "forbidden", "new session without 2FA");
    expectStatus(await me(session.token), 200);
  });
});
