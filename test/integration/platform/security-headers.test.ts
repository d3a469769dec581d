import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { httpsRedirect } from "~/.server/http/transport.server";
import { call } from "../../support/http";

function expectStrictHeaders(res: Response) {
  const h = res.headers;
  expect(h.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains; preload");
  expect(h.get("X-Content-Type-Options")).toBe("nosniff");
  expect(h.get("X-Frame-Options")).toBe("DENY");
  expect(h.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  expect(h.get("Permissions-Policy")).toMatch(/camera=\(\)/);
  expect(h.get("Permissions-Policy")).toMatch(/geolocation=\(\)/);
  expect(h.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
  expect(h.get("X-Request-Id")).toBeTruthy();
  const csp = h.get("Content-Security-Policy") ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("upgrade-insecure-requests");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  return csp;
}

describe("security headers", () => {
  it("are on an HTML page, and every inline script carries this request's nonce", async () => {
    const res = await call("/status");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const csp = expectStrictHeaders(res);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("use a fresh nonce for every request", async () => {
    const nonceOf = async () => /'nonce-([^']+)'/.exec((await call("/")).headers.get("Content-Security-Policy") ?? "")?.[1];
    const [a, b] = [await nonceOf(), await nonceOf()];
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
  });

  it("are on an API route", async () => {
    const res = await call("/api/v1/status");
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expectStrictHeaders(res);
  });

  it("are on API errors, HTML errors and static files", async () => {
    expectStrictHeaders(await call("/api/v1/operator/tenants"));
    expectStrictHeaders(await call("/api/v1/no-such-thing"));
    const page404 = await call("/no-such-page");
    expect(page404.status).toBe(404);
    expectStrictHeaders(page404);
    const favicon = await call("/favicon.svg");
    expect(favicon.status).toBe(200);
    expectStrictHeaders(favicon);
  });
});

describe("TLS only", () => {
  it("redirects plain HTTP to HTTPS with 308, path and query kept", async () => {
    const res = await SELF.fetch("http://kura.example/status?x=1", { redirect: "manual" });
    expect(res.status).toBe(308);
    expect(res.headers.get("Location")).toBe("https://kura.example/status?x=1");
    expectStrictHeaders(res);
    const api = await SELF.fetch("http://kura.example/api/v1/status", { redirect: "manual", method: "POST" });
    expect(api.status).toBe(308);
  });

  it("allows plain HTTP only on loopback in development", () => {
    expect(httpsRedirect(new Request("http://127.0.0.1:8787/"), "development")).toBeNull();
    expect(httpsRedirect(new Request("http://localhost:8787/"), "development")).toBeNull();
    expect(httpsRedirect(new Request("http://kura.example/"), "development")?.status).toBe(308);
    expect(httpsRedirect(new Request("http://127.0.0.1/"), "production")?.status).toBe(308);
    expect(httpsRedirect(new Request("https://kura.example/"), "production")).toBeNull();
  });
});

describe("CSRF defence for browser forms", () => {
  const form = () => new URLSearchParams({ locale: "en", redirectTo: "/status" });

  it("refuses a form post without Origin or from another site", async () => {
    const none = await SELF.fetch("https://kura.test/locale", { method: "POST", body: form(), redirect: "manual" });
    expect(none.status).toBe(403);
    expect(none.headers.get("Set-Cookie")).toBeNull();
    const evil = await SELF.fetch("https://kura.test/locale", {
      method: "POST",
      body: form(),
      redirect: "manual",
      headers: { Origin: "https://evil.example" },
    });
    expect(evil.status).toBe(403);
  });

  it("accepts a same-origin form post and sets a Secure, HttpOnly, SameSite cookie", async () => {
    const ok = await SELF.fetch("https://kura.test/locale", {
      method: "POST",
      body: form(),
      redirect: "manual",
      headers: { Origin: "https://kura.test" },
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/status");
    const cookie = ok.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^kura_locale=en;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Lax");
  });

  it("never redirects off-site from the language form", async () => {
    for (const target of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const res = await SELF.fetch("https://kura.test/locale", {
        method: "POST",
        body: new URLSearchParams({ locale: "ja", redirectTo: target }),
        redirect: "manual",
        headers: { Origin: "https://kura.test" },
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/");
    }
  });
});
