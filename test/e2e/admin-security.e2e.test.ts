import { describe, expect, it } from "vitest";
import { BASE_URL, browserForFile, strictContext } from "./browser";
import { kura, waitHydrated } from "./helpers";

const run = Date.now().toString(36);

const browser = browserForFile();

describe("security settings in Chromium", () => {
  it("turning on require 2FA leaves the admin on the settings page with a prompt to enrol", { timeout: 120_000 }, async () => {
    const slug = `e2e-sec-${run}`;
    const email = `admin@${slug}.example`;
    const password = "Quiet lanterns drift past the pier 58";
    await kura.createTenant({ slug, name: `Security ${run}`, adminEmail: email, password });

    const { context, problems } = await strictContext(browser(), { locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`/login?tenant=${slug}&redirectTo=${encodeURIComponent("/admin/security")}`);
    await waitHydrated(page);
    await page.fill("#f-email", email);
    await page.fill("#f-password", password);
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/security`), page.click("form[data-testid=login-form] button[type=submit]")]);
    await waitHydrated(page);
    expect(await page.getByTestId("enrol-prompt").count()).toBe(0);

    await page.check("input[name=require2fa]");
    await page.click("main form button[type=submit]");
    await page.getByTestId("settings-saved").waitFor();
    // Still here, with a prompt and a link to enrol now, and the setting on.
    const prompt = page.getByTestId("enrol-prompt");
    await prompt.waitFor();
    expect(page.url()).toBe(`${BASE_URL}/admin/security`);
    expect(await page.isChecked("input[name=require2fa]")).toBe(true);
    expect(await prompt.textContent()).toContain("your own account does not use it yet");

    await Promise.all([page.waitForURL(`${BASE_URL}/account/two-factor`), prompt.locator("a").click()]);
    await page.getByTestId("totp-start").waitFor();
    expect(await page.getByTestId("must-enroll").locator('a[href="/admin/security"]').count()).toBe(1);

    expect(problems).toEqual([]);
    await context.close();
  });
});
