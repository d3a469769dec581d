import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, OPERATOR_TOKEN, totpCode, waitHydrated } from "./helpers";

/**
 * Issue #12's end-to-end story in Chromium: the first operator sets up the console with the
 * bootstrap token and enrols TOTP, signs in, publishes an incident; a tenant user (English, on a
 * phone) sees its banner and the notices list; the public status page lists it in its history.
 */
const run = Date.now().toString(36);
const slug = `ops-${run}`;
const memberEmail = `member@${slug}.example`;
const password = "Lanterns on the river at dusk 2026";
const opEmail = `ops-${run}@kura.example`;
const opPassword = "The night shift keeps the archive warm 7";
const TITLE = `配信遅延 ${run}`;
const SHOTS = "test-results/screenshots";

let browser: Browser;
/** The first operator's authenticator, for signing in again in a later test. */
let totpSecret = "";
let usedCodes = new Set<number>();

/** Serious or critical axe-core findings on the page as it is now. */
async function seriousFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
  const t = await kura.createTenant({ slug, name: `撮影所 ${run}`, password });
  await kura.addUser(t.admin.token, slug, { email: memberEmail, password });
});

afterAll(async () => {
  await browser?.close();
});

describe("operator console", () => {
  it("the first operator sets up with the bootstrap token and TOTP, then publishes an incident", { timeout: 120_000 }, async () => {
    const { context, problems } = await strictContext(browser, { locale: "ja-JP", viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto("/operator");
    await page.waitForURL("**/operator/login");
    await waitHydrated(page);
    await page.getByRole("link", { name: "最初の運営者を設定する" }).click();
    await page.waitForURL("**/operator/setup");
    await page.fill("#f-bootstrapToken", OPERATOR_TOKEN);
    await page.fill("#f-name", "運用 太郎");
    await page.fill("#f-email", opEmail);
    await page.fill("#f-password", opPassword);
    await Promise.all([page.waitForURL("**/operator/login"), page.locator("[data-testid=op-setup-form] button[type=submit]").click()]);
    // Enrolment: the key is shown once, to the account that just proved the bootstrap token.
    const secret = await page.getByTestId("op-totp-secret").textContent();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.screenshot({ path: `${SHOTS}/operator-enrol-ja-1440.png`, fullPage: true });
    expect(await seriousFindings(page), "enrolment").toEqual([]);
    const used = new Set<number>();
    await page.fill("#f-code", await totpCode(secret!, used));
    await Promise.all([page.waitForURL((u) => u.pathname === "/operator"), page.locator("[data-testid=op-code-form] button[type=submit]").click()]);
    await expect.poll(() => page.locator(`[data-testid=op-tenants] tr`, { hasText: slug }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/operator-tenants-ja-1440.png`, fullPage: true });
    expect(await seriousFindings(page), "tenants").toEqual([]);
    await page.locator(`[data-testid=op-tenants] a`, { hasText: slug }).click();
    await page.getByTestId("op-contract").waitFor();
    await waitHydrated(page);
    expect(await seriousFindings(page), "tenant").toEqual([]);
    // The contract: the quota raised through the form, shown with the facts afterwards.
    await page.fill("#f-quotaGb", "250");
    await page.locator("[data-testid=op-contract-form] button[type=submit]").click();
    await page.getByTestId("op-contract-saved").waitFor();
    await expect.poll(() => page.getByTestId("op-contract").textContent()).toContain("250 GB");
    await page.screenshot({ path: `${SHOTS}/operator-tenant-ja-1440.png`, fullPage: true });

    // Sign out, and back in with the password and a fresh code.
    await Promise.all([page.waitForURL("**/operator/login"), page.getByTestId("console-sign-out").click()]);
    await page.fill("#f-email", opEmail);
    await page.fill("#f-password", opPassword);
    await Promise.all([page.waitForSelector("[data-testid=op-code-form]"), page.locator("[data-testid=op-login-form] button[type=submit]").click()]);
    expect(await page.getByTestId("op-totp-secret").count()).toBe(0);
    await page.fill("#f-code", await totpCode(secret!, used));
    await Promise.all([page.waitForURL((u) => u.pathname === "/operator"), page.locator("[data-testid=op-code-form] button[type=submit]").click()]);

    await page.getByRole("link", { name: "お知らせ配信" }).click();
    await page.waitForURL("**/operator/announcements");
    await waitHydrated(page);
    await page.selectOption("#f-severity", "incident");
    await page.fill("#f-title", TITLE);
    await page.fill("#f-body", "東京リージョンで再生が遅くなっています。\nPlayback is slow in Tokyo; we are on it.");
    await page.locator("[data-testid=op-announce-form] button[type=submit]").click();
    await page.getByTestId("op-announced").waitFor();
    await page.screenshot({ path: `${SHOTS}/operator-announce-ja-1440.png`, fullPage: true });
    expect(await seriousFindings(page), "announcements").toEqual([]);
    // The incident's e-mail to the tenant's admin is in the outbox (recipient and subject only).
    await page.getByRole("link", { name: "送信メール" }).click();
    await page.waitForURL("**/operator/outbox");
    await expect.poll(() => page.locator("[data-testid=op-outbox] tr", { hasText: `admin@${slug}.example` }).count()).toBeGreaterThan(0);
    expect(await seriousFindings(page), "outbox").toEqual([]);
    await page.getByRole("link", { name: "削除証明書" }).click();
    await page.waitForURL("**/operator/certificates");
    expect(await seriousFindings(page), "certificates").toEqual([]);
    await page.getByRole("link", { name: "運営者ログ" }).click();
    await page.locator("[data-testid=op-audit] tr[data-action='announcement.created']").first().waitFor();
    await page.locator("[data-testid=op-audit] tr[data-action='tenant.contract_updated']").first().waitFor();
    expect(problems).toEqual([]);
    totpSecret = secret!;
    usedCodes = used;
    await context.close();
  });

  it("the console on a phone (en) holds a 200-character tenant name without spaces", { timeout: 120_000 }, async () => {
    const longName = `${"長".repeat(100)}${"X".repeat(100)}`;
    const created = await kura.must<{ tenant: { id: string } }>(201, "/operator/tenants", {
      token: OPERATOR_TOKEN,
      json: { slug: `long-${run}`, name: longName, adminEmail: `${"a".repeat(60)}@long-${run}.example` },
    });
    const { context, problems } = await strictContext(browser, { locale: "en-US", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/operator/login");
    await waitHydrated(page);
    await page.fill("#f-email", opEmail);
    await page.fill("#f-password", opPassword);
    await Promise.all([page.waitForSelector("[data-testid=op-code-form]"), page.locator("[data-testid=op-login-form] button[type=submit]").click()]);
    await page.fill("#f-code", await totpCode(totpSecret, usedCodes));
    await Promise.all([page.waitForURL((u) => u.pathname === "/operator"), page.locator("[data-testid=op-code-form] button[type=submit]").click()]);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits(), "tenants").toBe(true);
    await page.goto(`/operator/tenants/${created.tenant.id}`);
    await page.getByTestId("op-contract").waitFor();
    expect(await fits(), "tenant").toBe(true);
    await page.screenshot({ path: `${SHOTS}/operator-tenant-long-en-390.png`, fullPage: true });
    expect(await seriousFindings(page), "tenant (en, 390)").toEqual([]);
    for (const path of ["/operator/outbox", "/operator/certificates", "/operator/audit"]) {
      await page.goto(path);
      expect(await fits(), path).toBe(true);
    }
    await page.screenshot({ path: `${SHOTS}/operator-audit-en-390.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a tenant user on a phone sees the incident's banner and the notices list; the status page lists it", async () => {
    const { context, problems } = await strictContext(browser, { locale: "en-US", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`/login?tenant=${slug}`);
    await waitHydrated(page);
    await page.fill("#f-email", memberEmail);
    await page.fill("#f-password", password);
    await Promise.all([page.waitForURL((u) => u.pathname === "/projects"), page.click("form[data-testid=login-form] button[type=submit]")]);
    const banner = page.getByTestId("notice-banner");
    await banner.waitFor();
    expect(await banner.getAttribute("data-severity")).toBe("incident");
    expect(await page.getByTestId("notice-banner-title").textContent()).toBe(TITLE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/notice-banner-en-390.png`, fullPage: true });
    await banner.getByRole("link").click();
    await page.waitForURL("**/notices");
    await expect.poll(() => page.locator("[data-testid=notices-list] [data-testid=notice]", { hasText: TITLE }).count()).toBe(1);
    // Hidden in this browser: the banner goes, the list keeps it.
    await page.goto("/projects");
    await Promise.all([page.waitForURL((u) => u.pathname === "/projects"), page.getByTestId("notice-hide").click()]);
    await expect.poll(() => page.getByTestId("notice-banner").count()).toBe(0);

    await page.goto("/status");
    const incident = page.locator("[data-testid=incident-history] [data-testid=incident]", { hasText: TITLE });
    await incident.waitFor();
    expect(await incident.getAttribute("data-ongoing")).toBe("yes");
    await page.screenshot({ path: `${SHOTS}/status-history-en-390.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
