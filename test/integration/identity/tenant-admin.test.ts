/**
 * Contract: Tenant administration (users, settings and IP allow-list,
 * permissions, roles, groups, projects and grants, metadata fields), and
 * tenant isolation of every id. Black-box through the Worker.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  addToGroup,
  api,
  CONTRACT_CAPABILITIES,
  createGroup,
  createProject,
  createRole,
  createTenantWithAdmin,
  createUser,
  DEFAULT_IP,
  enableTotp,
  expectError,
  expectStatus,
  expectValidation,
  freshIp,
  grantGroup,
  grantUser,
  inviteUser,
  linkToken,
  login,
  loginRequest,
  me,
  METADATA_FIELD_TYPES,
  myPermissions,
  pageThrough,
  setupPassword,
  STRONG_PASSWORD,
  unique,
  uniqueEmail,
  waitForMail,
  type Actor,
  type Group,
  type Project,
  type Role,
  type TenantFixture,
  type UserView,
} from "../../support/identity";
import { operator } from "../../support/http";
import { env } from "cloudflare:test";
import { authenticateTenantUser } from "~/.server/auth/authenticate.server";
import { readConfig } from "~/.server/env/config.server";
import type { KuraEnv } from "~/.server/env/env";
import { reasonsOf } from "~/.server/http/reasons.server";
import { updateTenantSettings } from "~/.server/tenants/settings.server";
import { testContext } from "../../support/context";

// Black-box flows make dozens of requests through the Worker; 5 s is too tight under load.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let fx: TenantFixture;
let plain: Actor;

beforeAll(async () => {
  fx = await createTenantWithAdmin();
  plain = await createUser(fx);
});

async function builtInRoles(token: string): Promise<Record<string, string[]>> {
  const res = await api<{ items: Role[] }>(`/roles`, { token });
  expectStatus(res, 200);
  return Object.fromEntries(res.body.items.filter((r) => r.builtIn).map((r) => [r.id, [...r.permissions].sort()]));
}

// ---------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------

describe("users", () => {
  it("GET /users lists the tenant's users with their profile fields", async () => {
    const res = await api<{ items: UserView[]; nextCursor: string | null }>(`/users`, { token: fx.admin.token });
    expectStatus(res, 200);
    expect(res.body).toHaveProperty("nextCursor");
    const admin = res.body.items.find((u) => u.id === fx.admin.id);
    expect(admin).toMatchObject({
      id: fx.admin.id,
      email: fx.admin.email,
      tenantRole: "tenant_admin",
      disabled: false,
      twoFactorEnabled: false,
    });
    for (const key of ["name", "status", "createdAt", "lastLoginAt"]) expect(admin).toHaveProperty(key);
    expect(admin!.lastLoginAt).not.toBeNull();
    expect(res.body.items.map((u) => u.id)).toContain(plain.id);
    expect(res.text).not.toMatch(/argon2|password|totpSecret/i);
  });

  it("GET /users pages with limit and cursor, every user exactly once", async () => {
    const t = await createTenantWithAdmin();
    for (let i = 0; i < 4; i++) await inviteUser(t.admin.token);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await api<{ items: UserView[]; nextCursor: string | null }>(q, { token: t.admin.token });
      expectStatus(res, 200, q);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("is for tenant admins only: a plain user gets 403 forbidden on every /users call", async () => {
    expectError(await api(`/users`, { token: plain.token }), 403, "forbidden", "GET");
    expectError(await api(`/users`, { token: plain.token, json: { email: uniqueEmail(), tenantRole: "user" } }), 403, "forbidden", "POST");
    expectError(await api(`/users/${fx.admin.id}`, { method: "PATCH", token: plain.token, json: { name: "pwned" } }), 403, "forbidden", "PATCH");
    expectError(await api(`/users/${fx.admin.id}`, { method: "DELETE", token: plain.token }), 403, "forbidden", "DELETE");
    expectError(await api(`/users`), 401, "unauthenticated", "anonymous");
  });

  it("POST /users invites (201 {user, setupToken}), mails a setup link, and the token sets the password once", async () => {
    const email = uniqueEmail("Invitee").replace("invitee", "InVitee");
    const res = await api<{ user: UserView; setupToken: string }>(`/users`, {
      token: fx.admin.token,
      json: { email, name: "Ito Ken", tenantRole: "user" },
    });
    expectStatus(res, 201);
    expect(res.body.user).toMatchObject({ id: expect.any(String), email: email.toLowerCase(), name: "Ito Ken", tenantRole: "user", disabled: false });
    expect(typeof res.body.setupToken).toBe("string");

    const mail = await waitForMail(email.toLowerCase(), (m) => m.text.includes("/setup?token="));
    expect(mail, "setup mail in the outbox").not.toBeNull();
    const mailed = linkToken(mail!.text, "setup");
    expect(mailed).toBe(res.body.setupToken);

    expectStatus(await setupPassword(res.body.setupToken, STRONG_PASSWORD), 200);
    expectError(await setupPassword(res.body.setupToken, STRONG_PASSWORD), 400, "bad_request", "second use");
    const session = await login({ tenant: fx.tenant.slug, email, password: STRONG_PASSWORD });
    expect(session.user).toMatchObject({ id: res.body.user.id, name: "Ito Ken", tenantRole: "user" });
  });

  it("reports status invited → active → disabled as the user goes through setup and disabling", async () => {
    const invited = await inviteUser(fx.admin.token);
    const statusOf = async () => {
      const res = await api<{ items: UserView[] }>(`/users?limit=200`, { token: fx.admin.token });
      return res.body.items.find((u) => u.id === invited.user.id);
    };
    expect(invited.user).toMatchObject({ status: "invited", disabled: false, lastLoginAt: null });
    expect(await statusOf()).toMatchObject({ status: "invited", disabled: false });
    expectStatus(await setupPassword(invited.setupToken, STRONG_PASSWORD), 200);
    expect(await statusOf()).toMatchObject({ status: "active", disabled: false, lastLoginAt: null });
    await login({ tenant: fx.tenant.slug, email: invited.email, password: STRONG_PASSWORD });
    expect((await statusOf())!.lastLoginAt).not.toBeNull();
    expectStatus(await api(`/users/${invited.user.id}`, { method: "PATCH", token: fx.admin.token, json: { disabled: true } }), 200);
    expect(await statusOf()).toMatchObject({ status: "disabled", disabled: true });
  });

  it("of two concurrent invitations of one e-mail exactly one is created (201, 409)", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all([
      api(`/users`, { token: fx.admin.token, json: { email, tenantRole: "user" } }),
      api(`/users`, { token: fx.admin.token, json: { email: email.toUpperCase(), tenantRole: "user" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const list = await api<{ items: UserView[] }>(`/users?limit=200`, { token: fx.admin.token });
    expect(list.body.items.filter((u) => u.email === email)).toHaveLength(1);
  });

  it("POST /users refuses a duplicate e-mail (case-insensitive) with 409 conflict", async () => {
    const email = uniqueEmail("dup");
    await inviteUser(fx.admin.token, { email });
    expectError(await api(`/users`, { token: fx.admin.token, json: { email: email.toUpperCase(), tenantRole: "user" } }), 409, "conflict");
    expectError(await api(`/users`, { token: fx.admin.token, json: { email: fx.admin.email, tenantRole: "tenant_admin" } }), 409, "conflict");
  });

  it("POST /users validates e-mail and tenantRole", async () => {
    expectValidation(await api(`/users`, { token: fx.admin.token, json: { email: "not-an-email", tenantRole: "user" } }), "email");
    expectValidation(await api(`/users`, { token: fx.admin.token, json: { email: uniqueEmail(), tenantRole: "operator" } }), "tenantRole");
    expectValidation(await api(`/users`, { token: fx.admin.token, json: { email: uniqueEmail() } }), "tenantRole");
  });

  it("PATCH /users/{id} changes name and tenant role (200 user)", async () => {
    const user = await createUser(fx);
    const renamed = await api<UserView>(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { name: "佐藤 太郎" } });
    expectStatus(renamed, 200);
    expect(renamed.body).toMatchObject({ id: user.id, name: "佐藤 太郎", tenantRole: "user" });

    const promoted = await api<UserView>(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { tenantRole: "tenant_admin" } });
    expectStatus(promoted, 200);
    expect(promoted.body.tenantRole).toBe("tenant_admin");
    const session = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    expect(session.user.tenantRole).toBe("tenant_admin");
    expectStatus(await api(`/users`, { token: session.token }), 200, "promoted user lists users");

    const demoted = await api<UserView>(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { tenantRole: "user" } });
    expectStatus(demoted, 200);
    const again = await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
    expectError(await api(`/users`, { token: again.token }), 403, "forbidden", "demoted user");
    // The session opened as an admin carries no admin right any more (revoked or refused).
    const stale = await api(`/users`, { token: session.token });
    expect([401, 403], `demoted user's old admin session → ${stale.status}`).toContain(stale.status);
  });

  it("disabling kills the user's sessions and API tokens at once; enabling lets them log in again", async () => {
    const user = await createUser(fx);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "x" } });
    expectStatus(pat, 201);
    const res = await api<UserView>(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { disabled: true } });
    expectStatus(res, 200);
    expect(res.body.disabled).toBe(true);
    expectError(await me(user.token), 401, "unauthenticated", "session of a disabled user");
    expectError(await me(pat.body.token), 401, "unauthenticated", "API token of a disabled user");
    expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");

    const enabled = await api<UserView>(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { disabled: false } });
    expectStatus(enabled, 200);
    expect(enabled.body.disabled).toBe(false);
    await login({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD });
  });

  it("refuses to demote, disable or delete the last tenant admin (409), and allows it once there is another", async () => {
    const t = await createTenantWithAdmin();
    const self = t.admin;
    expectError(await api(`/users/${self.id}`, { method: "PATCH", token: self.token, json: { tenantRole: "user" } }), 409, "conflict", "demote last admin");
    expectError(await api(`/users/${self.id}`, { method: "PATCH", token: self.token, json: { disabled: true } }), 409, "conflict", "disable last admin");
    expectError(await api(`/users/${self.id}`, { method: "DELETE", token: self.token }), 409, "conflict", "delete last admin");
    expectStatus(await me(self.token), 200, "still signed in");

    // An invited (never signed-in) admin does not count as a working admin.
    await inviteUser(self.token, { tenantRole: "tenant_admin" });
    expectError(
      await api(`/users/${self.id}`, { method: "PATCH", token: self.token, json: { tenantRole: "user" } }),
      409,
      "conflict",
      "only other admin is invited",
    );

    // Nor does a disabled admin.
    const disabledAdmin = await createUser(t, { tenantRole: "tenant_admin" });
    expectStatus(await api(`/users/${disabledAdmin.id}`, { method: "PATCH", token: self.token, json: { disabled: true } }), 200, "disable the other admin");
    expectError(await api(`/users/${self.id}`, { method: "DELETE", token: self.token }), 409, "conflict", "only other admin is disabled");

    const second = await createUser(t, { tenantRole: "tenant_admin" });
    const demoted = await api<UserView>(`/users/${self.id}`, { method: "PATCH", token: second.token, json: { tenantRole: "user" } });
    expectStatus(demoted, 200, "demote with another active admin");
    expectError(await api(`/users/${second.id}`, { method: "DELETE", token: second.token }), 409, "conflict", "delete the now last admin");
  });

  it("DELETE /users/{id} → 204: its tokens die at once, its login fails, it is gone from the list", async () => {
    const user = await createUser(fx);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "x" } });
    expectStatus(pat, 201);
    const res = await api(`/users/${user.id}`, { method: "DELETE", token: fx.admin.token });
    expectStatus(res, 204);
    expect(res.text).toBe("");
    expectError(await me(user.token), 401, "unauthenticated", "deleted user's session");
    expectError(await me(pat.body.token), 401, "unauthenticated", "deleted user's API token");
    expectError(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");
    const list = await api<{ items: UserView[] }>(`/users?limit=200`, { token: fx.admin.token });
    expect(list.body.items.map((u) => u.id)).not.toContain(user.id);
    expectError(await api(`/users/${user.id}`, { method: "DELETE", token: fx.admin.token }), 404, "not_found", "delete twice");
    expectError(await api(`/users/${user.id}`, { method: "PATCH", token: fx.admin.token, json: { name: "x" } }), 404, "not_found", "patch deleted");
  });

  it("the e-mail of a deleted user can be invited again", async () => {
    const user = await createUser(fx);
    expectStatus(await api(`/users/${user.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    const again = await inviteUser(fx.admin.token, { email: user.email });
    expect(again.user.id).not.toBe(user.id);
  });
});

// ---------------------------------------------------------------------------
// Tenant settings and the IP allow-list
// ---------------------------------------------------------------------------

describe("tenant settings", () => {
  it("GET /tenant/settings → {require2fa, ipAllowlist}; PATCH changes them; users get 403", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    // The admin has 2FA, so requiring it does not restrict the admin's own session.
    await enableTotp(t.admin.token);
    const res = await api<{ require2fa: boolean; ipAllowlist: string[] }>(`/tenant/settings`, { token: t.admin.token });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ require2fa: false, ipAllowlist: [] });

    const patched = await api<{ require2fa: boolean; ipAllowlist: string[] }>(`/tenant/settings`, {
      method: "PATCH",
      token: t.admin.token,
      json: { require2fa: true },
    });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({ require2fa: true, ipAllowlist: [] });
    expect((await api(`/tenant/settings`, { token: t.admin.token })).body).toMatchObject({ require2fa: true });

    expectError(await api(`/tenant/settings`, { token: user.token }), 403, "forbidden", "user GET");
    expectError(await api(`/tenant/settings`, { method: "PATCH", token: user.token, json: { require2fa: false } }), 403, "forbidden", "user PATCH");
  });

  it("refuses (409 conflict) to require 2FA while the service cannot enrol anyone: no admin could sign in afterwards", async () => {
    const t = await createTenantWithAdmin();
    const request = new Request("https://kura.test/api/v1/tenant/settings", { headers: { Authorization: `Bearer ${t.admin.token}` } });
    const auth = await authenticateTenantUser(request, env, readConfig(env), { via: "bearer", clientIp: DEFAULT_IP, waitUntil: () => {} });
    expect(auth).not.toBeNull();
    // The same service without a usable DATA_ENCRYPTION_KEY: enrolment would answer 503.
    const keyless = { ...env, DATA_ENCRYPTION_KEY: undefined } as unknown as KuraEnv;
    const ctx = testContext([], { env: keyless, principal: auth!.principal, tenant: auth!.data, clientIp: DEFAULT_IP });
    const refused = await updateTenantSettings(ctx, { require2fa: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(409);
    expect(((await (refused as Response).clone().json()) as { error: { code: string } }).error.code).toBe("conflict");
    expect(reasonsOf(refused as Response).because?.reason).toBe("totp_unavailable");
    expect((await api(`/tenant/settings`, { token: t.admin.token })).body).toMatchObject({ require2fa: false });
    // The rest of the settings still save.
    expect(await updateTenantSettings(ctx, { require2fa: false, ipAllowlist: [] })).toMatchObject({ require2fa: false });
  });

  it("rejects an invalid CIDR with 400 validation_failed on path ipAllowlist.N", async () => {
    for (const [list, path] of [
      [["203.0.113.0/24", "not-an-ip"], "ipAllowlist.1"],
      [["300.1.2.3/8"], "ipAllowlist.0"],
      [["203.0.113.0/24", "10.0.0.0/24", "10.0.0.0/33"], "ipAllowlist.2"],
      [["2001:db8::/129"], "ipAllowlist.0"],
    ] as const) {
      expectValidation(await api(`/tenant/settings`, { method: "PATCH", token: fx.admin.token, json: { ipAllowlist: list } }), path, JSON.stringify(list));
    }
    expect((await api(`/tenant/settings`, { token: fx.admin.token })).body).toMatchObject({ ipAllowlist: [] });
  });

  it("refuses (409 conflict) a list that excludes the IP of the request saving it", async () => {
    const res = await api(`/tenant/settings`, { method: "PATCH", token: fx.admin.token, json: { ipAllowlist: ["192.0.2.0/24"] }, ip: "198.51.100.9" });
    expectError(res, 409, "conflict");
    expect((await api(`/tenant/settings`, { token: fx.admin.token })).body).toMatchObject({ ipAllowlist: [] });
  });

  it("with an IPv4 list saved, tenant users from other IPs get 403 ip_not_allowed (login included); allowed IPs work; the operator API is unaffected", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    const pat = await api<{ token: string }>(`/auth/tokens`, { token: user.token, json: { name: "x" } });
    expectStatus(pat, 201);
    const saved = await api<{ ipAllowlist: string[] }>(`/tenant/settings`, {
      method: "PATCH",
      token: t.admin.token,
      json: { ipAllowlist: ["203.0.113.0/24", "192.0.2.10"] },
      ip: DEFAULT_IP,
    });
    expectStatus(saved, 200);
    expect(saved.body.ipAllowlist).toHaveLength(2);

    const outside = "198.51.100.77";
    expectError(await me(user.token, outside), 403, "ip_not_allowed", "session from outside");
    expectError(await me(pat.body.token, outside), 403, "ip_not_allowed", "API token from outside");
    expectError(await api(`/users`, { token: t.admin.token, ip: outside }), 403, "ip_not_allowed", "admin from outside");
    expectError(await me(user.token, null), 403, "ip_not_allowed", "no CF-Connecting-IP at all");
    expectError(
      await loginRequest({ tenant: t.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: outside }),
      403,
      "ip_not_allowed",
      "login from outside",
    );

    expectStatus(await me(user.token, "203.0.113.200"), 200, "inside the /24");
    expectStatus(await me(user.token, "192.0.2.10"), 200, "the single address");
    expectError(await me(user.token, "192.0.2.11"), 403, "ip_not_allowed", "next to the single address");
    const inside = await loginRequest({ tenant: t.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: "203.0.113.5" });
    expectStatus(inside, 200, "login from inside");

    // The operator API is not governed by a tenant's list.
    const op = await operator(`/api/v1/operator/tenants/${t.tenant.id}`, { headers: { "CF-Connecting-IP": outside } });
    expect(op.status).toBe(200);

    // Other tenants are not affected.
    expectStatus(await me(fx.admin.token, outside), 200, "another tenant from the same IP");

    // Clearing the list opens it again.
    expectStatus(await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { ipAllowlist: [] } }), 200, "clear");
    expectStatus(await me(user.token, outside), 200, "after clearing");
  });

  it("takes the client IP from CF-Connecting-IP only (X-Forwarded-For and X-Real-IP are ignored)", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    expectStatus(await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { ipAllowlist: ["203.0.113.0/24"] } }), 200);
    const spoofed = { "X-Forwarded-For": "203.0.113.5", "X-Real-IP": "203.0.113.5", "True-Client-IP": "203.0.113.5" };
    expectError(await api(`/me`, { token: user.token, ip: "198.51.100.3", headers: spoofed }), 403, "ip_not_allowed", "spoofed headers, outside");
    expectError(await api(`/me`, { token: user.token, ip: null, headers: spoofed }), 403, "ip_not_allowed", "spoofed headers, no CF-Connecting-IP");
    expectStatus(
      await api(`/me`, { token: user.token, ip: "203.0.113.5", headers: { "X-Forwarded-For": "198.51.100.3" } }),
      200,
      "inside, whatever X-Forwarded-For says",
    );
  });

  it("matches an IPv4-mapped IPv6 client address against IPv4 ranges", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    expectStatus(await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { ipAllowlist: ["203.0.113.0/24"] } }), 200);
    expectStatus(await me(user.token, "::ffff:203.0.113.44"), 200, "mapped address inside");
    expectError(await me(user.token, "::ffff:198.51.100.44"), 403, "ip_not_allowed", "mapped address outside");
    // Saving from a mapped address inside the list is not a lock-out.
    expectStatus(
      await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { ipAllowlist: ["203.0.113.0/25"] }, ip: "::ffff:203.0.113.10" }),
      200,
      "save from a mapped address",
    );
  });

  it("accepts IPv6 CIDRs and matches IPv6 clients", async () => {
    const t = await createTenantWithAdmin();
    const user = await createUser(t);
    const saved = await api<{ ipAllowlist: string[] }>(`/tenant/settings`, {
      method: "PATCH",
      token: t.admin.token,
      json: { ipAllowlist: ["2001:db8:abcd::/48"] },
      ip: "2001:db8:abcd:12::1",
    });
    expectStatus(saved, 200, "save IPv6 list from an IPv6 address inside it");
    expect(saved.body.ipAllowlist).toHaveLength(1);
    expectStatus(await me(user.token, "2001:db8:abcd:ffff::42"), 200, "inside");
    expectError(await me(user.token, "2001:db8:abce::1"), 403, "ip_not_allowed", "outside");
    expectError(await me(user.token, DEFAULT_IP), 403, "ip_not_allowed", "IPv4 client");
    expectError(
      await api(`/tenant/settings`, { method: "PATCH", token: t.admin.token, json: { ipAllowlist: ["2001:db8:abcd::/48"] }, ip: DEFAULT_IP }),
      403,
      "ip_not_allowed",
      "the admin from outside cannot even reach the settings",
    );
  });
});

// ---------------------------------------------------------------------------
// Permissions and roles
// ---------------------------------------------------------------------------

describe("GET /permissions", () => {
  it("lists at least the contract's 11 capabilities, each with a description", async () => {
    const res = await api<{ items: { key: string; description: string }[] }>(`/permissions`, { token: fx.admin.token });
    expectStatus(res, 200);
    const keys = res.body.items.map((p) => p.key);
    for (const key of CONTRACT_CAPABILITIES) expect(keys).toContain(key);
    for (const item of res.body.items) {
      expect(typeof item.description).toBe("string");
      expect(item.description.length).toBeGreaterThan(0);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("roles", () => {
  it("GET /roles lists the built-ins project_admin, member and viewer with builtIn true", async () => {
    const res = await api<{ items: Role[] }>(`/roles`, { token: fx.admin.token });
    expectStatus(res, 200);
    for (const id of ["project_admin", "member", "viewer"]) {
      const role = res.body.items.find((r) => r.id === id);
      expect(role, id).toBeDefined();
      expect(role!.builtIn).toBe(true);
      expect(typeof role!.name).toBe("string");
      for (const p of role!.permissions) expect(CONTRACT_CAPABILITIES as readonly string[]).toContain(p);
    }
    const builtIn = await builtInRoles(fx.admin.token);
    expect(builtIn.project_admin).toContain("project.manage_members");
    expect(builtIn.viewer).not.toContain("project.manage_members");
    expect(builtIn.viewer).toContain("asset.view");
  });

  it("POST /roles → 201 custom role (builtIn false) with exactly its permissions; it is listed", async () => {
    const name = unique("Colorist");
    const res = await api<Role>(`/roles`, { token: fx.admin.token, json: { name, permissions: ["asset.view", "marker.edit"] } });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ id: expect.any(String), name, builtIn: false });
    expect([...res.body.permissions].sort()).toEqual(["asset.view", "marker.edit"]);
    expect(["project_admin", "member", "viewer"]).not.toContain(res.body.id);
    const list = await api<{ items: Role[] }>(`/roles`, { token: fx.admin.token });
    expect(list.body.items.find((r) => r.id === res.body.id)).toMatchObject({ name, builtIn: false });
  });

  it("POST /roles rejects an unknown capability (400 validation_failed) and a duplicate name (409)", async () => {
    expectError(
      await api(`/roles`, { token: fx.admin.token, json: { name: unique("bad"), permissions: ["asset.view", "asset.teleport"] } }),
      400,
      "validation_failed",
      "unknown capability",
    );
    const name = unique("Editor");
    await createRole(fx.admin.token, ["asset.view"], name);
    expectError(await api(`/roles`, { token: fx.admin.token, json: { name, permissions: ["asset.upload"] } }), 409, "conflict", "duplicate name");
  });

  it("is for tenant admins only (403 for a plain user)", async () => {
    expectError(await api(`/roles`, { token: plain.token, json: { name: unique("x"), permissions: ["asset.view"] } }), 403, "forbidden", "POST");
    const role = await createRole(fx.admin.token, ["asset.view"]);
    expectError(await api(`/roles/${role.id}`, { method: "PATCH", token: plain.token, json: { name: "y" } }), 403, "forbidden", "PATCH");
    expectError(await api(`/roles/${role.id}`, { method: "DELETE", token: plain.token }), 403, "forbidden", "DELETE");
  });

  it("PATCH /roles/{id} → 200 with the new name and permissions; unknown capability → 400", async () => {
    const role = await createRole(fx.admin.token, ["asset.view"]);
    const name = unique("Renamed");
    const res = await api<Role>(`/roles/${role.id}`, { method: "PATCH", token: fx.admin.token, json: { name, permissions: ["asset.view", "asset.upload"] } });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: role.id, name, builtIn: false });
    expect([...res.body.permissions].sort()).toEqual(["asset.upload", "asset.view"]);
    expectError(await api(`/roles/${role.id}`, { method: "PATCH", token: fx.admin.token, json: { permissions: ["nope.nope"] } }), 400, "validation_failed");
  });

  it("built-in roles cannot be changed or deleted (409)", async () => {
    for (const id of ["project_admin", "member", "viewer"]) {
      expectError(await api(`/roles/${id}`, { method: "PATCH", token: fx.admin.token, json: { permissions: ["asset.view"] } }), 409, "conflict", `PATCH ${id}`);
      expectError(await api(`/roles/${id}`, { method: "DELETE", token: fx.admin.token }), 409, "conflict", `DELETE ${id}`);
    }
    const builtIn = await builtInRoles(fx.admin.token);
    expect(builtIn.viewer!.length).toBeGreaterThan(1);
  });

  it("DELETE /roles/{id} → 409 also while only a group grant uses it", async () => {
    const role = await createRole(fx.admin.token, ["asset.view"]);
    const project = await createProject(fx.admin.token);
    const group = await createGroup(fx.admin.token);
    await grantGroup(fx.admin.token, project.id, group.id, role.id);
    expectError(await api(`/roles/${role.id}`, { method: "DELETE", token: fx.admin.token }), 409, "conflict", "granted to a group");
    expectStatus(await api(`/projects/${project.id}/groups/${group.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    expectStatus(await api(`/roles/${role.id}`, { method: "DELETE", token: fx.admin.token }), 204, "after the group grant is gone");
  });

  it("DELETE /roles/{id} → 409 while granted, 204 once no grant uses it, then 404", async () => {
    const role = await createRole(fx.admin.token, ["asset.view"]);
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    await grantUser(fx.admin.token, project.id, user.id, role.id);
    expectError(await api(`/roles/${role.id}`, { method: "DELETE", token: fx.admin.token }), 409, "conflict", "still granted");
    expectStatus(await api(`/projects/${project.id}/members/${user.id}`, { method: "DELETE", token: fx.admin.token }), 204, "remove the grant");
    const del = await api(`/roles/${role.id}`, { method: "DELETE", token: fx.admin.token });
    expectStatus(del, 204);
    const list = await api<{ items: Role[] }>(`/roles`, { token: fx.admin.token });
    expect(list.body.items.map((r) => r.id)).not.toContain(role.id);
    expectError(await api(`/roles/${role.id}`, { method: "DELETE", token: fx.admin.token }), 404, "not_found", "twice");
  });
});

// ---------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------

describe("groups", () => {
  it("POST /groups → 201 {id, name, memberIds}; PUT member → 200; DELETE member → 204; DELETE group → 204", async () => {
    const name = unique("Editors 編集");
    const res = await api<Group>(`/groups`, { token: fx.admin.token, json: { name } });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ id: expect.any(String), name, memberIds: [] });
    const group = res.body;
    const user = await createUser(fx);

    const put = await api(`/groups/${group.id}/members/${user.id}`, { method: "PUT", token: fx.admin.token, json: {} });
    expectStatus(put, 200);
    // Idempotent.
    expectStatus(await api(`/groups/${group.id}/members/${user.id}`, { method: "PUT", token: fx.admin.token, json: {} }), 200, "PUT again");
    let list = await api<{ items: Group[] }>(`/groups`, { token: fx.admin.token });
    expectStatus(list, 200);
    expect(list.body.items.find((g) => g.id === group.id)?.memberIds).toEqual([user.id]);

    expectStatus(await api(`/groups/${group.id}/members/${user.id}`, { method: "DELETE", token: fx.admin.token }), 204, "remove member");
    list = await api<{ items: Group[] }>(`/groups`, { token: fx.admin.token });
    expect(list.body.items.find((g) => g.id === group.id)?.memberIds).toEqual([]);

    expectStatus(await api(`/groups/${group.id}`, { method: "DELETE", token: fx.admin.token }), 204, "delete group");
    list = await api<{ items: Group[] }>(`/groups`, { token: fx.admin.token });
    expect(list.body.items.map((g) => g.id)).not.toContain(group.id);
    expectError(await api(`/groups/${group.id}/members/${user.id}`, { method: "PUT", token: fx.admin.token, json: {} }), 404, "not_found", "deleted group");
  });

  it("rejects an unknown user (404), a duplicate name (409) and a plain user (403)", async () => {
    const group = await createGroup(fx.admin.token);
    expectError(
      await api(`/groups/${group.id}/members/usr_doesnotexist`, { method: "PUT", token: fx.admin.token, json: {} }),
      404,
      "not_found",
      "unknown user",
    );
    expectError(await api(`/groups`, { token: fx.admin.token, json: { name: group.name } }), 409, "conflict", "duplicate name");
    expectError(await api(`/groups`, { token: plain.token, json: { name: unique("g") } }), 403, "forbidden", "plain user POST");
    expectError(
      await api(`/groups/${group.id}/members/${plain.id}`, { method: "PUT", token: plain.token, json: {} }),
      403,
      "forbidden",
      "plain user PUT member",
    );
    expectError(await api(`/groups/${group.id}`, { method: "DELETE", token: plain.token }), 403, "forbidden", "plain user DELETE");
  });

  it("removing a user from a group removes the access that came through it", async () => {
    const project = await createProject(fx.admin.token);
    const group = await createGroup(fx.admin.token);
    const user = await createUser(fx);
    await addToGroup(fx.admin.token, group.id, user.id);
    await grantGroup(fx.admin.token, project.id, group.id, "viewer");
    expectStatus(await api(`/projects/${project.id}`, { token: user.token }), 200, "via group");
    expectStatus(await api(`/groups/${group.id}/members/${user.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    expectError(await api(`/projects/${project.id}`, { token: user.token }), 404, "not_found", "after leaving the group");
  });

  it("deleting a group removes the access that came through it", async () => {
    const project = await createProject(fx.admin.token);
    const group = await createGroup(fx.admin.token);
    const user = await createUser(fx);
    await addToGroup(fx.admin.token, group.id, user.id);
    await grantGroup(fx.admin.token, project.id, group.id, "member");
    expectStatus(await api(`/projects/${project.id}`, { token: user.token }), 200, "via group");
    expectStatus(await api(`/groups/${group.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    expectError(await api(`/projects/${project.id}`, { token: user.token }), 404, "not_found", "after the group is gone");
  });
});

// ---------------------------------------------------------------------------
// Projects and grants
// ---------------------------------------------------------------------------

describe("projects", () => {
  it("POST /projects → 201 {id, name} for tenant admins, 403 for users", async () => {
    const name = unique("渋谷ロケ");
    const res = await api<Project>(`/projects`, { token: fx.admin.token, json: { name } });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ id: expect.any(String), name });
    expectError(await api(`/projects`, { token: plain.token, json: { name: unique("nope") } }), 403, "forbidden", "plain user");
    expectValidation(await api(`/projects`, { token: fx.admin.token, json: {} }), "name");
  });

  it("of 10 parallel creates of one name exactly one is 201, the rest 409 conflict; another tenant may use the name", async () => {
    const t = await createTenantWithAdmin();
    const name = unique("渋谷ロケ 2026");
    const results = await Promise.all(Array.from({ length: 10 }, () => api<Project>(`/projects`, { token: t.admin.token, json: { name } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expectError(r, 409, "conflict");
    const list = await api<{ items: Project[] }>(`/projects`, { token: t.admin.token });
    expect(list.body.items.filter((p) => p.name === name)).toHaveLength(1);
    expectStatus(await api(`/projects`, { token: fx.admin.token, json: { name } }), 201, "the same name in another tenant");
  });

  it("a duplicate project name is 409 whatever its Unicode form or surrounding spaces; renames too", async () => {
    const t = await createTenantWithAdmin();
    const composed = unique("デモ撮影");
    const first = await createProject(t.admin.token, composed);
    for (const variant of [composed.normalize("NFD"), `  ${composed} `]) {
      expect(variant).not.toBe(composed);
      expectError(await api(`/projects`, { token: t.admin.token, json: { name: variant } }), 409, "conflict", JSON.stringify(variant));
    }
    // Compared exactly as stored, like group and role names.
    expectStatus(await api(`/projects`, { token: t.admin.token, json: { name: `${composed}-b` } }), 201);
    const second = await createProject(t.admin.token);
    expectError(
      await api(`/projects/${second.id}`, { method: "PATCH", token: t.admin.token, json: { name: composed.normalize("NFD") } }),
      409,
      "conflict",
      "rename onto a name in use",
    );
    expectStatus(await api(`/projects/${first.id}`, { method: "PATCH", token: t.admin.token, json: { name: composed } }), 200, "renaming to its own name");
    const renamed = await api<Project>(`/projects/${second.id}`, { method: "PATCH", token: t.admin.token, json: { name: `${composed} 2` } });
    expectStatus(renamed, 200);
    expect(renamed.body.name).toBe(`${composed} 2`);
  });

  it("GET /projects: tenant admins see all, users only projects granted directly or via a group", async () => {
    const t = await createTenantWithAdmin();
    const [p1, p2, p3] = [await createProject(t.admin.token), await createProject(t.admin.token), await createProject(t.admin.token)];
    const user = await createUser(t);
    const group = await createGroup(t.admin.token);
    await addToGroup(t.admin.token, group.id, user.id);
    await grantUser(t.admin.token, p1!.id, user.id, "viewer");
    await grantGroup(t.admin.token, p2!.id, group.id, "member");

    const all = await api<{ items: Project[]; nextCursor: string | null }>(`/projects`, { token: t.admin.token });
    expectStatus(all, 200);
    expect(all.body.items.map((p) => p.id).sort()).toEqual([p1!.id, p2!.id, p3!.id].sort());

    const mine = await api<{ items: Project[] }>(`/projects`, { token: user.token });
    expectStatus(mine, 200);
    expect(mine.body.items.map((p) => p.id).sort()).toEqual([p1!.id, p2!.id].sort());

    const nobody = await createUser(t);
    const none = await api<{ items: Project[] }>(`/projects`, { token: nobody.token });
    expectStatus(none, 200);
    expect(none.body.items).toEqual([]);
  });

  it("GET /projects/{id} → {id, name, createdAt, myPermissions}; 404 without a grant", async () => {
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    expectError(await api(`/projects/${project.id}`, { token: user.token }), 404, "not_found", "no grant");
    await grantUser(fx.admin.token, project.id, user.id, "viewer");
    const res = await api<Project>(`/projects/${project.id}`, { token: user.token });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: project.id, name: project.name, createdAt: expect.any(String) });
    const builtIn = await builtInRoles(fx.admin.token);
    expect([...res.body.myPermissions!].sort()).toEqual(builtIn.viewer);
    expectError(await api(`/projects/prj_doesnotexist`, { token: user.token }), 404, "not_found", "unknown id");
  });

  it("effective permissions are the union of direct and group grants", async () => {
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    const group = await createGroup(fx.admin.token);
    await addToGroup(fx.admin.token, group.id, user.id);
    const builtIn = await builtInRoles(fx.admin.token);

    await grantUser(fx.admin.token, project.id, user.id, "viewer");
    expect(await myPermissions(user.token, project.id)).toEqual(builtIn.viewer);

    await grantGroup(fx.admin.token, project.id, group.id, "member");
    const union = [...new Set([...builtIn.viewer!, ...builtIn.member!])].sort();
    expect(await myPermissions(user.token, project.id)).toEqual(union);

    const custom = await createRole(fx.admin.token, ["asset.delete", "asset.view"]);
    const second = await createGroup(fx.admin.token);
    await addToGroup(fx.admin.token, second.id, user.id);
    await grantGroup(fx.admin.token, project.id, second.id, custom.id);
    expect(await myPermissions(user.token, project.id)).toEqual([...new Set([...union, "asset.delete"])].sort());

    // Taking the group grant away leaves the direct one and the other group.
    expectStatus(await api(`/projects/${project.id}/groups/${group.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    expect(await myPermissions(user.token, project.id)).toEqual([...new Set([...builtIn.viewer!, "asset.delete"])].sort());
  });

  it("a custom role's permissions appear exactly, and follow PATCH /roles", async () => {
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    const role = await createRole(fx.admin.token, ["asset.view", "marker.edit", "search.use"]);
    await grantUser(fx.admin.token, project.id, user.id, role.id);
    expect(await myPermissions(user.token, project.id)).toEqual(["asset.view", "marker.edit", "search.use"]);
    expectStatus(await api(`/roles/${role.id}`, { method: "PATCH", token: fx.admin.token, json: { permissions: ["asset.view"] } }), 200);
    expect(await myPermissions(user.token, project.id)).toEqual(["asset.view"]);
  });

  it("PUT changes an existing grant's role; an unknown role is 400 validation_failed", async () => {
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    const builtIn = await builtInRoles(fx.admin.token);
    await grantUser(fx.admin.token, project.id, user.id, "member");
    await grantUser(fx.admin.token, project.id, user.id, "viewer");
    expect(await myPermissions(user.token, project.id)).toEqual(builtIn.viewer);
    for (const role of ["owner", "rol_doesnotexist", ""]) {
      expectError(
        await api(`/projects/${project.id}/members/${user.id}`, { method: "PUT", token: fx.admin.token, json: { role } }),
        400,
        "validation_failed",
        `role ${JSON.stringify(role)}`,
      );
    }
    const group = await createGroup(fx.admin.token);
    expectError(
      await api(`/projects/${project.id}/groups/${group.id}`, { method: "PUT", token: fx.admin.token, json: { role: "owner" } }),
      400,
      "validation_failed",
      "group grant",
    );
  });

  it("GET /projects/{id}/members lists the grants", async () => {
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    const group = await createGroup(fx.admin.token);
    await grantUser(fx.admin.token, project.id, user.id, "member");
    await grantGroup(fx.admin.token, project.id, group.id, "viewer");
    const res = await api<{ items: Record<string, unknown>[] }>(`/projects/${project.id}/members`, { token: fx.admin.token });
    expectStatus(res, 200);
    expect(Array.isArray(res.body.items)).toBe(true);
    expect(res.body.items.length).toBe(2);
    expect(res.text).toContain(user.id);
    expect(res.text).toContain(group.id);
    expect(res.text).toContain("member");
    expect(res.text).toContain("viewer");
  });

  it("members are managed by tenant admins and project.manage_members holders; others get 403, or 404 without a grant", async () => {
    const project = await createProject(fx.admin.token);
    const manager = await createUser(fx);
    const member = await createUser(fx);
    const outsider = await createUser(fx);
    const target = await createUser(fx);
    const group = await createGroup(fx.admin.token);
    await grantUser(fx.admin.token, project.id, manager.id, "project_admin");
    await grantUser(fx.admin.token, project.id, member.id, "member");

    // A project admin manages members and groups of this project.
    await grantUser(manager.token, project.id, target.id, "viewer");
    await grantGroup(manager.token, project.id, group.id, "viewer");
    expectStatus(await api(`/projects/${project.id}/members`, { token: manager.token }), 200, "manager lists members");
    expectStatus(await api(`/projects/${project.id}/members/${target.id}`, { method: "DELETE", token: manager.token }), 204, "manager removes a member");
    expectStatus(await api(`/projects/${project.id}/groups/${group.id}`, { method: "DELETE", token: manager.token }), 204, "manager removes a group");

    // A member sees the project but may not manage it.
    expectError(
      await api(`/projects/${project.id}/members/${target.id}`, { method: "PUT", token: member.token, json: { role: "viewer" } }),
      403,
      "forbidden",
      "member PUT",
    );
    expectError(
      await api(`/projects/${project.id}/groups/${group.id}`, { method: "PUT", token: member.token, json: { role: "viewer" } }),
      403,
      "forbidden",
      "member PUT group",
    );
    expectError(await api(`/projects/${project.id}/members/${manager.id}`, { method: "DELETE", token: member.token }), 403, "forbidden", "member DELETE");
    // A member cannot raise their own role.
    expectError(
      await api(`/projects/${project.id}/members/${member.id}`, { method: "PUT", token: member.token, json: { role: "project_admin" } }),
      403,
      "forbidden",
      "self-promotion",
    );

    // An outsider does not even learn that the project exists.
    expectError(
      await api(`/projects/${project.id}/members/${outsider.id}`, { method: "PUT", token: outsider.token, json: { role: "viewer" } }),
      404,
      "not_found",
      "outsider PUT",
    );
    expectError(await api(`/projects/${project.id}/members`, { token: outsider.token }), 404, "not_found", "outsider list");

    // A custom role with project.manage_members is enough too.
    const steward = await createRole(fx.admin.token, ["asset.view", "project.manage_members"]);
    await grantUser(fx.admin.token, project.id, outsider.id, steward.id);
    await grantUser(outsider.token, project.id, target.id, steward.id);
    // …within its own capabilities: it cannot hand out more than it holds.
    expectError(
      await api(`/projects/${project.id}/members/${target.id}`, { method: "PUT", token: outsider.token, json: { role: "member" } }),
      403,
      "forbidden",
      "steward grants member",
    );

    // Project rights do not extend to other projects.
    const other = await createProject(fx.admin.token);
    expectError(
      await api(`/projects/${other.id}/members/${target.id}`, { method: "PUT", token: manager.token, json: { role: "viewer" } }),
      404,
      "not_found",
      "manager on another project",
    );
  });

  it("DELETE grant → 204; the project disappears for the user; deleting a missing grant is 404", async () => {
    const project = await createProject(fx.admin.token);
    const user = await createUser(fx);
    await grantUser(fx.admin.token, project.id, user.id, "member");
    expectStatus(await api(`/projects/${project.id}/members/${user.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    expectError(await api(`/projects/${project.id}`, { token: user.token }), 404, "not_found", "after removal");
    const mine = await api<{ items: Project[] }>(`/projects`, { token: user.token });
    expect(mine.body.items.map((p) => p.id)).not.toContain(project.id);
    expectError(await api(`/projects/${project.id}/members/${user.id}`, { method: "DELETE", token: fx.admin.token }), 404, "not_found", "twice");
  });

  it("a deleted user's grants and group memberships go with it", async () => {
    const project = await createProject(fx.admin.token);
    const group = await createGroup(fx.admin.token);
    const user = await createUser(fx);
    await grantUser(fx.admin.token, project.id, user.id, "member");
    await addToGroup(fx.admin.token, group.id, user.id);
    expectStatus(await api(`/users/${user.id}`, { method: "DELETE", token: fx.admin.token }), 204);
    const members = await api(`/projects/${project.id}/members`, { token: fx.admin.token });
    expect(members.text).not.toContain(user.id);
    const groups = await api<{ items: Group[] }>(`/groups`, { token: fx.admin.token });
    expect(groups.body.items.find((g) => g.id === group.id)?.memberIds).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Metadata fields
// ---------------------------------------------------------------------------

describe("metadata fields", () => {
  it("POST accepts each of the 10 contract types (201) and GET lists them for any tenant user", async () => {
    const keys: string[] = [];
    for (const type of METADATA_FIELD_TYPES) {
      const key = `f_${type}_${unique("k").replace(/-/g, "_")}`;
      const json = { key, label: `Label ${type}`, type, ...(type === "select" || type === "multiselect" ? { options: ["A", "B", "カメラ"] } : {}) };
      const res = await api<{ id: string; key: string; label: string; type: string; options?: string[] }>(`/metadata-fields`, { token: fx.admin.token, json });
      expectStatus(res, 201, `type ${type}`);
      expect(res.body).toMatchObject({ key, label: `Label ${type}`, type });
      if (type === "select" || type === "multiselect") expect(res.body.options).toEqual(["A", "B", "カメラ"]);
      keys.push(key);
    }
    const list = await api<{ items: { key: string; type: string }[] }>(`/metadata-fields`, { token: plain.token });
    expectStatus(list, 200, "plain user lists fields");
    for (const key of keys) expect(list.body.items.map((f) => f.key)).toContain(key);
  });

  it("rejects a type outside the contract, select/multiselect without options (400) and a duplicate key (409)", async () => {
    expectValidation(await api(`/metadata-fields`, { token: fx.admin.token, json: { key: "colour_space", label: "Colour space", type: "color" } }), "type");
    for (const type of ["select", "multiselect"]) {
      const res = await api(`/metadata-fields`, { token: fx.admin.token, json: { key: `opt_${type}`, label: "x", type } });
      expectError(res, 400, "validation_failed", `${type} without options`);
      const empty = await api(`/metadata-fields`, { token: fx.admin.token, json: { key: `opt_${type}`, label: "x", type, options: [] } });
      expectError(empty, 400, "validation_failed", `${type} with empty options`);
    }
    const key = `dup_${unique("k").replace(/-/g, "_")}`;
    expectStatus(await api(`/metadata-fields`, { token: fx.admin.token, json: { key, label: "One", type: "text" } }), 201);
    expectError(await api(`/metadata-fields`, { token: fx.admin.token, json: { key, label: "Two", type: "number" } }), 409, "conflict", "duplicate key");
  });

  it("POST is for tenant admins only (403 for a plain user)", async () => {
    expectError(await api(`/metadata-fields`, { token: plain.token, json: { key: "sneaky_field", label: "x", type: "text" } }), 403, "forbidden");
    expectError(await api(`/metadata-fields`), 401, "unauthenticated", "anonymous GET");
  });
});

// ---------------------------------------------------------------------------
// Tenant isolation
// ---------------------------------------------------------------------------

describe("tenant isolation", () => {
  it("every id of tenant B used with tenant A's admin token is 404 not_found, and nothing of B changes", async () => {
    const a = await createTenantWithAdmin();
    const b = await createTenantWithAdmin();
    const aProject = await createProject(a.admin.token);
    const aGroup = await createGroup(a.admin.token);
    const aUser = await createUser(a);
    const bUser = await createUser(b);
    const bProject = await createProject(b.admin.token);
    const bGroup = await createGroup(b.admin.token);
    const bRole = await createRole(b.admin.token, ["asset.view"]);
    const bToken = await api<{ id: string; token: string }>(`/auth/tokens`, { token: bUser.token, json: { name: "b" } });
    expectStatus(bToken, 201);
    await grantUser(b.admin.token, bProject.id, bUser.id, "member");
    await addToGroup(b.admin.token, bGroup.id, bUser.id);

    const A = a.admin.token;
    const cases: [string, string, unknown?][] = [
      ["PATCH", `/users/${bUser.id}`, { name: "hijacked" }],
      ["PATCH", `/users/${b.admin.id}`, { disabled: true }],
      ["DELETE", `/users/${bUser.id}`],
      ["GET", `/projects/${bProject.id}`],
      ["GET", `/projects/${bProject.id}/members`],
      ["PUT", `/projects/${bProject.id}/members/${aUser.id}`, { role: "viewer" }],
      ["PUT", `/projects/${bProject.id}/members/${bUser.id}`, { role: "project_admin" }],
      ["DELETE", `/projects/${bProject.id}/members/${bUser.id}`],
      ["PUT", `/projects/${aProject.id}/members/${bUser.id}`, { role: "viewer" }],
      ["PUT", `/projects/${aProject.id}/groups/${bGroup.id}`, { role: "viewer" }],
      ["PUT", `/projects/${bProject.id}/groups/${bGroup.id}`, { role: "viewer" }],
      ["PATCH", `/roles/${bRole.id}`, { name: "hijacked" }],
      ["DELETE", `/roles/${bRole.id}`],
      ["PUT", `/groups/${bGroup.id}/members/${aUser.id}`, {}],
      ["PUT", `/groups/${aGroup.id}/members/${bUser.id}`, {}],
      ["DELETE", `/groups/${bGroup.id}/members/${bUser.id}`],
      ["DELETE", `/groups/${bGroup.id}`],
      ["DELETE", `/auth/tokens/${bToken.body.id}`],
    ];
    for (const [method, path, json] of cases) {
      expectError(await api(path, { method, token: A, json }), 404, "not_found", `${method} ${path}`);
    }

    // B's custom role id is not a role in A.
    expectError(
      await api(`/projects/${aProject.id}/members/${aUser.id}`, { method: "PUT", token: A, json: { role: bRole.id } }),
      400,
      "validation_failed",
      "B's role id granted in A",
    );

    // Lists never show B's things.
    for (const path of ["/users?limit=200", "/projects", "/groups", "/roles"]) {
      const res = await api(path, { token: A });
      expectStatus(res, 200, path);
      for (const id of [bUser.id, b.admin.id, bProject.id, bGroup.id, bRole.id]) expect(res.text, `${path} leaks ${id}`).not.toContain(id);
    }

    // B is untouched.
    expectStatus(await me(bUser.token), 200, "B user");
    expectStatus(await me(bToken.body.token), 200, "B token");
    expect(await myPermissions(bUser.token, bProject.id)).toEqual((await builtInRoles(b.admin.token)).member);
    const bGroups = await api<{ items: Group[] }>(`/groups`, { token: b.admin.token });
    expect(bGroups.body.items.find((g) => g.id === bGroup.id)?.memberIds).toEqual([bUser.id]);
    const bRoles = await api<{ items: Role[] }>(`/roles`, { token: b.admin.token });
    expect(bRoles.body.items.find((r) => r.id === bRole.id)?.name).toBe(bRole.name);

    // A token of tenant B is no key to tenant A's data either.
    const bSeesA = await api(`/projects/${aProject.id}`, { token: b.admin.token });
    expectError(bSeesA, 404, "not_found", "B admin reads A's project");
  });

  it("a user logs in only to their own tenant", async () => {
    const a = await createTenantWithAdmin();
    const b = await createTenantWithAdmin();
    expectError(await loginRequest({ tenant: b.tenant.slug, email: a.admin.email, password: STRONG_PASSWORD, ip: freshIp() }), 401, "invalid_credentials");
  });
});

// ---------------------------------------------------------------------------
// List conventions on the administration lists
// ---------------------------------------------------------------------------

describe("list conventions (limit, cursor, nextCursor)", () => {
  let t: TenantFixture;
  let project: Project;
  beforeAll(async () => {
    t = await createTenantWithAdmin();
    project = await createProject(t.admin.token);
    await createProject(t.admin.token);
    await createProject(t.admin.token);
    for (let i = 0; i < 3; i++) {
      const g = await createGroup(t.admin.token);
      await grantGroup(t.admin.token, project.id, g.id, "viewer");
      await createRole(t.admin.token, ["asset.view"]);
      await api(`/metadata-fields`, { token: t.admin.token, json: { key: `paged_${i}`, label: `Paged ${i}`, type: "text" } });
      await api(`/auth/tokens`, { token: t.admin.token, json: { name: `paged ${i}` } });
      await inviteUser(t.admin.token);
    }
  });

  type Item = { id: string; key: string };
  const lists: [string, (x: Item) => string][] = [
    ["/projects", (p) => p.id],
    ["/groups", (g) => g.id],
    ["/roles", (r) => r.id],
    ["/metadata-fields", (f) => f.key],
    ["/auth/tokens", (k) => k.id],
    ["/users", (u) => u.id],
  ];

  it.each(lists)("GET %s honours limit and cursor: every item exactly once", async (path, idOf) => {
    const all = await api<{ items: Item[]; nextCursor: string | null }>(path, { token: t.admin.token });
    expectStatus(all, 200, path);
    expect(all.body).toHaveProperty("nextCursor");
    const expected = all.body.items.map(idOf).sort();
    expect(expected.length, `${path} has enough items to page`).toBeGreaterThanOrEqual(3);
    const paged = await pageThrough(t.admin.token, path, 2, idOf);
    expect(paged.length, `${path}: items seen with limit=2`).toBe(expected.length);
    expect([...paged].sort()).toEqual(expected);
  });

  it("GET /projects/{id}/members honours limit and cursor", async () => {
    const all = await api<{ items: { principalId?: string }[] }>(`/projects/${project.id}/members`, { token: t.admin.token });
    expectStatus(all, 200);
    expect(all.body.items.length).toBe(3);
    const paged = await pageThrough<unknown>(t.admin.token, `/projects/${project.id}/members`, 2, (m) => JSON.stringify(m));
    expect(paged.length).toBe(3);
    expect(new Set(paged).size).toBe(3);
  });

  it.each(lists)("GET %s rejects limit=0, limit=201 and limit=abc with 400 validation_failed", async (path) => {
    for (const q of ["limit=0", "limit=201", "limit=abc"]) {
      expectError(await api(`${path}?${q}`, { token: t.admin.token }), 400, "validation_failed", `${path}?${q}`);
    }
  });
});
