import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";
import { kura, waitHydrated } from "./helpers";

/** Issue #11, defect 2 (ADR 0023): times in the viewer's zone, with the zone shown, in Chromium. */

const slug = `tz-${Date.now().toString(36)}`;
const adminEmail = `admin@${slug}.example`;
const password = "Morning fog over Lake Biwa 2026";

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
  await kura.createTenant({ slug, name: "時刻テスト", adminEmail, password });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page) {
  await page.goto(`/login?tenant=${slug}&email=${encodeURIComponent(adminEmail)}`);
  await waitHydrated(page);
  // Tenant and e-mail are filled in by the link; only the password is typed.
  expect(await page.inputValue("input[name=email]")).toBe(adminEmail);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL("**/projects"), page.getByTestId("login-form").locator("button[type=submit]").click()]);
}

/** The audit table's newest time as shown, and the instant it stands for. */
async function newestTime(page: Page) {
  await page.goto("/admin/audit");
  const time = page.getByTestId("audit-row").first().locator("time");
  return { shown: (await time.textContent())!.trim(), at: (await time.getAttribute("datetime"))!, zone: await time.getAttribute("title") };
}

function expected(at: string, intl: string, timeZone: string) {
  return new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(at));
}

describe("time zones in the browser", () => {
  it("times show in Asia/Tokyo for a ja user, even on a browser set to New York", async () => {
    const { context, problems } = await strictContext(browser, { locale: "ja-JP", timezoneId: "America/New_York" });
    const page = await context.newPage();
    await signIn(page);
    const { shown, at, zone } = await newestTime(page);
    expect(zone).toBe("Asia/Tokyo");
    expect(shown).toBe(`${expected(at, "ja-JP", "Asia/Tokyo")} JST`);
    expect(await page.getByTestId("audit-days-zone").textContent()).toContain("Asia/Tokyo");
    // Server and browser rendered the same text: no hydration complaints.
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it("an English user sees the browser's zone once the browser has told it", async () => {
    const { context, problems } = await strictContext(browser, { locale: "en-GB", timezoneId: "America/New_York" });
    const page = await context.newPage();
    await page.goto("/login");
    await waitHydrated(page);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "kura_tz")?.value).toBe(encodeURIComponent("America/New_York"));
    await page.context().addCookies([{ name: "kura_locale", value: "en", url: BASE_URL }]);
    await signIn(page);
    const { shown, at, zone } = await newestTime(page);
    expect(zone).toBe("America/New_York");
    expect(shown).toMatch(new RegExp(`^${expected(at, "en-GB", "America/New_York").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (GMT-[45]|EST|EDT)$`));
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
