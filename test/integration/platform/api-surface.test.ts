/**
 * The API never reads cookies, and a path either is the API or is not: the
 * prefixes are matched exactly. Paths that only resemble an API path once
 * case, escapes or slashes are folded used to reach an API route through
 * Remix's case-insensitive matching while being treated as a page, so the
 * browser's cookie authenticated them (issue #10, defect 3).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { browserSignIn, call } from "../../support/http";
import { createTenantWithAdmin, STRONG_PASSWORD, type TenantFixture } from "../../support/identity";

let fx: TenantFixture;
let cookie: string;
beforeAll(async () => {
  fx = await createTenantWithAdmin();
  cookie = await browserSignIn({ tenant: fx.tenant.slug, email: fx.admin.email, password: STRONG_PASSWORD });
});

const LOOKALIKES = [
  "/API/v1/me",
  "/Api/v1/me",
  "/api/V1/me",
  "/api/v1/ME",
  "/%61pi/v1/me",
  "/%41PI/v1/me",
  "//api/v1/me",
  "/WEB/v1/projects",
  "/%77eb/v1/projects",
];

describe("API and web prefixes are matched exactly", () => {
  it("the real paths work: /api/v1/me with a bearer token, /web/v1 with the cookie", async () => {
    expect((await call("/api/v1/me", { token: fx.admin.token })).status).toBe(200);
    // The API itself never takes the cookie.
    expect((await call("/api/v1/me", { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await call("/api//v1/me", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  for (const path of LOOKALIKES) {
    it(`${path} with the session cookie is not authenticated by it: 404 in the API's JSON`, async () => {
      const res = await call(path, { headers: { Cookie: cookie } });
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBe(404);
      expect(text).not.toContain(fx.admin.email);
      expect(JSON.parse(text)).toEqual({ error: expect.objectContaining({ code: "not_found" }) });
    });
  }

  it("a look-alike with a bearer token is not the API either", async () => {
    const res = await call("/API/v1/me", { token: fx.admin.token });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(fx.admin.email);
  });

  it("a look-alike POST is neither the API (no CSRF exemption) nor a page action", async () => {
    const res = await call("/API/v1/auth/logout", { method: "POST", headers: { Cookie: cookie } });
    expect([403, 404]).toContain(res.status);
    // The session still works.
    expect((await call("/web/v1/projects/none/folders", { headers: { Cookie: cookie } })).status).not.toBe(401);
  });
});
