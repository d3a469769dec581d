import { describe, expect, it } from "vitest";
import { resetMail, setupMail } from "~/.server/mail/templates.server";
import { call, ORIGIN } from "../../support/http";
import { api, createTenant, createTenantWithAdmin, createUser, expectStatus, inviteUser, waitForMail } from "../../support/identity";

/**
 * Texts of issue #11, defect 6: e-mails in one language per block, friendly
 * waits after too many attempts, and no retyping of the e-mail after setting
 * a password.
 */

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** English words (Kura, links and the tenant's own name aside). */
const ENGLISH = /\b(?!Kura\b)[A-Za-z]{3,}\b/;

/** Lines of text without the link and the tenant name, which are the same in every language. */
function sentences(text: string, tenantName: string): string[] {
  return text
    .split("\n")
    .map((l) =>
      l
        .split(tenantName)
        .join("")
        .replace(/https?:\/\/\S+/g, ""),
    )
    .filter((l) => l.trim() !== "" && l.trim() !== "---");
}

const link = "https://kura.test/setup?token=kura_o.secret";
const base = { to: "x@y.example", tenantName: "Acme", link, tenantId: "tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa" };

describe("e-mails", () => {
  it("an invitation to someone whose language is unknown has a whole Japanese block, then a whole English one", () => {
    for (const firstAdmin of [false, true]) {
      const mail = setupMail({ ...base, firstAdmin, locale: null });
      const lines = sentences(mail.text, "Acme");
      for (const line of lines) expect(JAPANESE.test(line) && ENGLISH.test(line), `mixed line: ${line}`).toBe(false);
      const firstEnglish = lines.findIndex((l) => ENGLISH.test(l));
      const lastJapanese = lines.map((l) => JAPANESE.test(l)).lastIndexOf(true);
      expect(firstEnglish).toBeGreaterThan(lastJapanese);
      expect(mail.text.split(link).length - 1).toBe(2);
      // The subject names the account once per language, never "アカウント / account" inside one phrase.
      expect(mail.subject).not.toContain("アカウント / account");
      for (const half of mail.subject.split(" / ")) expect(JAPANESE.test(half) && ENGLISH.test(half.replace("Acme", "")), `subject half: ${half}`).toBe(false);
    }
  });

  it("a recipient with a known language gets that language only", () => {
    const en = setupMail({ ...base, firstAdmin: false, locale: "en" });
    expect(JAPANESE.test(en.subject + en.text)).toBe(false);
    expect(en.text).toContain("A Kura account has been created for you at Acme.");
    const ja = resetMail({ ...base, locale: "ja" });
    for (const line of sentences(ja.subject + "\n" + ja.text, "Acme")) expect(ENGLISH.test(line), line).toBe(false);
    expect(ja.text).toContain("Acme の Kura アカウントのパスワード再設定が要求されました。");
  });

  it("a password reset goes out in the language the user chose", async () => {
    const fixture = await createTenantWithAdmin();
    const user = await createUser(fixture);
    expectStatus(await api("/me", { method: "PATCH", token: user.token, json: { locale: "en" } }), 200);
    expectStatus(await api("/auth/password-reset", { json: { tenant: fixture.tenant.slug, email: user.email } }), 202);
    const mail = await waitForMail(user.email, (m) => m.text.includes("/reset-password?token="));
    expect(mail, "reset mail").not.toBeNull();
    expect(JAPANESE.test(mail!.subject + mail!.text), mail!.text).toBe(false);
  });

  it("an invitation sent by the API has no mixed sentence", async () => {
    const fixture = await createTenantWithAdmin();
    const invited = await inviteUser(fixture.admin.token);
    const mail = await waitForMail(invited.email);
    expect(mail).not.toBeNull();
    for (const line of sentences(mail!.text, fixture.tenant.name)) expect(JAPANESE.test(line) && ENGLISH.test(line), `mixed line: ${line}`).toBe(false);
  });
});

function form(path: string, fields: Record<string, string>, p: { ip: string; lang: string }) {
  return call(path, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { Origin: ORIGIN, Host: new URL(ORIGIN).host, "Accept-Language": p.lang, "CF-Connecting-IP": p.ip },
    redirect: "manual",
  });
}

describe("waits after too many attempts", () => {
  it("say about 15 minutes (約15分後), not a count of seconds", async () => {
    const fixture = await createTenantWithAdmin();
    let last: Response | null = null;
    for (let i = 0; i < 11; i++) {
      last = await form(
        "/login",
        { intent: "password", tenant: fixture.tenant.slug, email: fixture.admin.email, password: `Wrong password ${i} xyz` },
        { ip: "192.0.2.61", lang: "en" },
      );
    }
    const en = await last!.text();
    expect(en).toContain("Too many attempts. Try again in about 15 minutes.");
    expect(en).not.toMatch(/\d{3} seconds/);
    const ja = await (
      await form(
        "/login",
        { intent: "password", tenant: fixture.tenant.slug, email: fixture.admin.email, password: "Wrong password ja xyz" },
        { ip: "192.0.2.61", lang: "ja" },
      )
    ).text();
    expect(ja).toContain("約15分後にもう一度お試しください。");
    expect(ja).not.toMatch(/\d+秒後/);
  });
});

describe("after setting a password", () => {
  it("the sign-in page already has the tenant and the e-mail filled in", async () => {
    const { tenant, adminSetupToken, adminEmail } = await createTenant();
    const done = await form(
      "/setup",
      { token: adminSetupToken, password: "Harbour lights across the bay 2024", confirmPassword: "Harbour lights across the bay 2024" },
      { ip: "192.0.2.62", lang: "en" },
    );
    expect(done.status).toBe(302);
    const location = done.headers.get("Location")!;
    expect(location.startsWith("/login?")).toBe(true);
    const login = await call(location, { headers: { "Accept-Language": "en" } });
    const html = await login.text();
    expect(html).toContain(`value="${tenant.slug}"`);
    expect(html).toContain(`value="${adminEmail}"`);
    // The password field is the one to type in.
    expect(html).toMatch(/<input[^>]*name="password"[^>]*autofocus/i);
  });

  it("a crafted e-mail parameter is only ever a valid address in a value attribute", async () => {
    const res = await call(`/login?tenant=acme&email=${encodeURIComponent('"><script>x</script>@a.b')}`, { headers: { "Accept-Language": "en" } });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("<script>x</script>");
  });
});
