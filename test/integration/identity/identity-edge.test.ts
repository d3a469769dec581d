import { describe, expect, it } from "vitest";
import { call, operator } from "../../support/http";
import { buildWorld, expectJson, totpNow } from "../../support/world";

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("identity edge cases", () => {
  it("turning on 'require 2FA' reaches sessions and personal tokens that already exist", async () => {
    const w = await buildWorld("edge-2fa");
    const pat = await expectJson<{ token: string }>(call("/api/v1/auth/tokens", { method: "POST", token: w.users.member.token, json: { name: "ci" } }), 201);
    expect((await call("/api/v1/projects", { token: w.users.member.token })).status).toBe(200);
    await expectJson(w.asAdmin("/api/v1/tenant/settings", { method: "PATCH", json: { require2fa: true } }), 200);
    for (const token of [w.users.member.token, pat.token]) {
      const res = await call("/api/v1/projects", { token });
      expect(res.status).toBe(403);
      expect(await code(res)).toBe("forbidden");
      // What enrolment needs stays reachable.
      expect((await call("/api/v1/me", { token })).status).toBe(200);
    }
    // The admin who turned it on is held to it too, until they enrol.
    expect((await w.asAdmin("/api/v1/users")).status).toBe(403);
    const { secret } = await expectJson<{ secret: string }>(w.asAdmin("/api/v1/auth/totp/enroll", { method: "POST" }), 200);
    await expectJson(w.asAdmin("/api/v1/auth/totp/confirm", { method: "POST", json: { otp: totpNow(secret) } }), 200);
    await expectJson(w.asAdmin("/api/v1/tenant/settings", { method: "PATCH", json: { require2fa: false } }), 200);
    expect((await call("/api/v1/projects", { token: pat.token })).status).toBe(200);
  }, 60_000);

  it("throttles guessing of setup tokens per IP, and checks the token before hashing", async () => {
    const headers = { "CF-Connecting-IP": "192.0.2.99" };
    for (let i = 0; i < 20; i++) {
      const res = await call("/api/v1/auth/setup", {
        method: "POST",
        headers,
        json: { token: `kura_o.tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa.${"a".repeat(52)}`, password: "correct-horse-battery-42" },
      });
      expect(res.status).toBe(400);
    }
    const limited = await call("/api/v1/auth/setup", { method: "POST", headers, json: { token: "kura_o.x", password: "correct-horse-battery-42" } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await call("/api/v1/auth/setup", {
      method: "POST",
      headers: { "CF-Connecting-IP": "192.0.2.100" },
      json: { token: "kura_o.x", password: "correct-horse-battery-42" },
    });
    expect(other.status).toBe(400);
  }, 60_000);

  it("sends an invited user whose link expired a fresh setup link when they ask for a reset", async () => {
    const w = await buildWorld("edge-invite");
    const email = "late-joiner@x.example";
    await expectJson(w.asAdmin("/api/v1/users", { method: "POST", json: { email, tenantRole: "user" } }), 201);
    expect((await call("/api/v1/auth/password-reset", { method: "POST", json: { tenant: w.tenantA.slug, email } })).status).toBe(202);
    await expect
      .poll(async () => {
        const mail = await expectJson<{ items: { subject: string; text: string }[] }>(operator(`/api/v1/operator/outbox?to=${email}`), 200);
        return mail.items.length;
      })
      .toBe(2);
    const [latest] = (await expectJson<{ items: { text: string }[] }>(operator(`/api/v1/operator/outbox?to=${email}`), 200)).items;
    const token = /\/setup\?token=([^\s]+)/.exec(latest!.text)?.[1];
    expect(token).toBeTruthy();
    await expectJson(call("/api/v1/auth/setup", { method: "POST", json: { token: decodeURIComponent(token!), password: "correct-horse-battery-42" } }), 200);
  }, 60_000);

  it("refuses custom roles named like a built-in one, in Japanese too", async () => {
    const w = await buildWorld("edge-roles");
    for (const name of ["閲覧者", "Viewer", "member"]) {
      const res = await w.asAdmin("/api/v1/roles", { method: "POST", json: { name, permissions: ["asset.view"] } });
      expect(res.status, name).toBe(409);
    }
    const res = await w.asAdmin(`/api/v1/roles/${w.customRoleId}`, { method: "PATCH", json: { name: "プロジェクト管理者" } });
    expect(res.status).toBe(409);
  }, 60_000);

  it("a member manager cannot grant, change or remove beyond their own capabilities (no self-promotion)", async () => {
    const w = await buildWorld("edge-escalate");
    const role = await expectJson<{ id: string }>(
      w.asAdmin("/api/v1/roles", { method: "POST", json: { name: "Coordinator", permissions: ["asset.view", "project.manage_members"] } }),
      201,
    );
    const coordinator = w.users.otherProject; // member of P2 only, before this
    await expectJson(w.asAdmin(`/api/v1/projects/${w.p1}/members/${coordinator.id}`, { method: "PUT", json: { role: role.id } }), 200);
    const put = (userId: string, r: string) =>
      call(`/api/v1/projects/${w.p1}/members/${userId}`, { method: "PUT", token: coordinator.token, json: { role: r } });
    const self = await put(coordinator.id, "project_admin");
    expect(self.status).toBe(403);
    expect(await code(self)).toBe("forbidden");
    const mine = await expectJson<{ myPermissions: string[] }>(call(`/api/v1/projects/${w.p1}`, { token: coordinator.token }), 200);
    expect(mine.myPermissions.sort()).toEqual(["asset.view", "project.manage_members"]);
    // Granting what they hold themselves works…
    const fresh = await expectJson<{ user: { id: string } }>(
      w.asAdmin("/api/v1/users", { method: "POST", json: { email: "helper@x.example", tenantRole: "user" } }),
      201,
    );
    expect((await put(fresh.user.id, role.id)).status).toBe(200);
    // …but not demoting or removing someone who holds more.
    expect((await put(w.users.projectAdmin.id, role.id)).status).toBe(403);
    const remove = await call(`/api/v1/projects/${w.p1}/members/${w.users.projectAdmin.id}`, { method: "DELETE", token: coordinator.token });
    expect(remove.status).toBe(403);
    // A project admin holds everything, so they can.
    expect(
      (await call(`/api/v1/projects/${w.p1}/members/${fresh.user.id}`, { method: "PUT", token: w.users.projectAdmin.token, json: { role: "member" } })).status,
    ).toBe(200);
  }, 60_000);
});
