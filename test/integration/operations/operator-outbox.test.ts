/**
 * Contract: GET /api/v1/operator/outbox?to=<email> (operator only).
 */
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { call, OPERATOR_TOKEN } from "../../support/http";
import { API, createTenant, createTenantWithAdmin, expectError, linkToken, outbox, setupPassword, STRONG_PASSWORD, api, login } from "../../support/identity";

// Black-box flows make dozens of requests through the Worker; 5 s is too tight under load.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

describe("GET /api/v1/operator/outbox", () => {
  it("needs the operator token: none, a wrong one or a tenant user's token give 401", async () => {
    const t = await createTenantWithAdmin();
    const path = `${API}/operator/outbox?to=${encodeURIComponent(t.admin.email)}`;
    for (const [what, token] of [
      ["no token", null],
      ["wrong token", "wrong-operator-token-0123456789abcdef"],
      ["operator token with a trailing character", `${OPERATOR_TOKEN}x`],
      ["tenant admin session", t.admin.token],
    ] as const) {
      const res = await api(path, { token });
      expectError(res, 401, "unauthenticated", what);
      expect(res.text).not.toContain("/setup?token=");
    }
  });

  it("lists the setup mail sent to a new tenant's admin, {to, subject, text, createdAt}; its link sets the password", async () => {
    const before = Date.now() - 1000;
    const { tenant, adminEmail } = await createTenant();
    const items = await outbox(adminEmail);
    expect(items.length).toBe(1);
    const mail = items[0]!;
    expect(mail).toMatchObject({ to: adminEmail, subject: expect.any(String), text: expect.any(String), createdAt: expect.any(String) });
    expect(Date.parse(mail.createdAt)).toBeGreaterThanOrEqual(before);
    const token = linkToken(mail.text, "setup");
    expect(token, mail.text).toBeTruthy();
    expect((await setupPassword(token!, STRONG_PASSWORD)).status).toBe(200);
    await login({ tenant: tenant.slug, email: adminEmail, password: STRONG_PASSWORD });
  });

  it("filters by recipient, case-insensitively, and returns an empty list for nobody", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const forA = await outbox(a.adminEmail.toUpperCase());
    expect(forA.length).toBe(1);
    expect(forA.every((m) => m.to.toLowerCase() === a.adminEmail)).toBe(true);
    expect(JSON.stringify(forA)).not.toContain(b.adminEmail);
    expect(await outbox("nobody-at-all@example.test")).toEqual([]);
  });

  it("records every read in the operator audit log, with its filter", async () => {
    const to = `reader-${Date.now()}@example.test`;
    const res = await call(`${API}/operator/outbox?to=${encodeURIComponent(to)}`, { token: OPERATOR_TOKEN });
    expect(res.status).toBe(200);
    const logged = await env.CONTROL_DB.prepare("SELECT actor, details FROM operator_audit WHERE action = 'outbox.viewed'").all<{
      actor: string;
      details: string;
    }>();
    expect(logged.results.filter((r) => JSON.parse(r.details).to === to).map((r) => r.actor)).toEqual(["api_token"]);
  });

  it("answers in the list shape {items: [...]}", async () => {
    const res = await call(`${API}/operator/outbox?to=nobody@example.test`, { token: OPERATOR_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { items: unknown[] };
    expect(body.items).toEqual([]);
  });
});
