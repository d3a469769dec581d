import { describe, expect, it } from "vitest";
import { createLogger, redact } from "~/.server/http/logger.server";
import { requestIdFor } from "~/.server/http/request-id.server";
import { parseQuery } from "~/.server/http/validation.server";
import { localeFromAcceptLanguage, resolveLocale } from "~/i18n/locale";
import { z } from "zod";
import { call } from "../../support/http";

describe("structured logs", () => {
  it("print one JSON object per line and never credentials", () => {
    const lines: string[] = [];
    const log = createLogger({ requestId: "req-12345678" }, (l) => lines.push(l));
    log.info("login", {
      email: "a@b.example",
      password: "hunter2hunter2",
      nested: { apiToken: "tok_123", totpSecret: "JBSWY3DP", headers: { Authorization: "Bearer x", Cookie: "s=1" } },
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: "info", msg: "login", requestId: "req-12345678", email: "a@b.example" });
    const text = lines[0]!;
    for (const secret of ["hunter2hunter2", "tok_123", "JBSWY3DP", "Bearer x", "s=1"]) expect(text).not.toContain(secret);
    expect(redact({ otp: "123456" })).toEqual({ otp: "[redacted]" });
  });
});

describe("request ids", () => {
  it("reuse a well-formed inbound id and replace a malformed one", async () => {
    expect(requestIdFor(new Request("https://x/", { headers: { "X-Request-Id": "abc-123-def-456" } }))).toBe("abc-123-def-456");
    expect(requestIdFor(new Request("https://x/", { headers: { "X-Request-Id": "<script>" } }))).toMatch(/^[0-9a-f-]{36}$/);
    const res = await call("/api/v1/status", { headers: { "X-Request-Id": "trace-0000-1111" } });
    expect(res.headers.get("X-Request-Id")).toBe("trace-0000-1111");
  });
});

describe("query validation", () => {
  it("turns failures into 400 validation_failed with paths", () => {
    const schema = z.object({ limit: z.coerce.number().int().max(10), tag: z.array(z.string()).optional() });
    const ok = parseQuery(new Request("https://x/?limit=3&tag=a&tag=b"), schema);
    expect(ok).toEqual({ limit: 3, tag: ["a", "b"] });
    try {
      parseQuery(new Request("https://x/?limit=99"), schema);
      expect.unreachable();
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(400);
    }
  });
});

describe("locale", () => {
  it("follows the user's cookie first, then Accept-Language with q-values, then Japanese", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9,ja;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR, ja;q=0.5, en;q=0.4")).toBe("ja");
    expect(localeFromAcceptLanguage("de, fr")).toBeNull();
    expect(localeFromAcceptLanguage("en;q=0, ja;q=0.1")).toBe("ja");
    const req = (h: Record<string, string>) => new Request("https://x/", { headers: h });
    expect(resolveLocale(req({ "Accept-Language": "en", Cookie: "a=1; kura_locale=ja" }))).toBe("ja");
    expect(resolveLocale(req({ "Accept-Language": "en" }))).toBe("en");
    expect(resolveLocale(req({ Cookie: "kura_locale=xx" }))).toBe("ja");
  });

  it("renders pages in the chosen language", async () => {
    const en = await (await call("/status", { headers: { "Accept-Language": "en" } })).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain("All systems operational");
    const ja = await (await call("/status", { headers: { "Accept-Language": "en", Cookie: "kura_locale=ja" } })).text();
    expect(ja).toContain('<html lang="ja"');
    expect(ja).toContain("すべてのシステムは正常に稼働しています");
  });
});

describe("error pages leak nothing", () => {
  it("404 page is friendly and localised", async () => {
    const res = await call("/definitely/not/here", { headers: { "Accept-Language": "en" } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Page not found");
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });
});
