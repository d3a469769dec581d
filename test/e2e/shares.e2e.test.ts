import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";
import { kura, signInOnProject, uploadStills } from "./helpers";
import { decodeQrPath } from "../support/qr-decode";

/**
 * The team's share screens in Chromium (issue #14): files selected in browse are shared with one
 * recipient and a made password; the link, its QR code (read back from the page's SVG) and the
 * password are shown once; the project's shares screen lists the share with the recipient's
 * opens; it is paused and resumed there. In Japanese at 1440 px and in English at 390 px, with
 * long names; the admin's screen is shown too.
 */

const run = Date.now().toString(36);
const slug = `shr-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Three reels for the Asakusa client 2026";
const LONG = "カット01_とても長いファイル名の写真_浅草寺の境内で撮影した夕景_最終版_修正済み_クライアント確認用.jpg";

let browser: Browser;
let token = "";
let projectId = "";

/** The whole page, and what the viewport shows (sticky bars where the user sees them). */
const shot = async (page: Page, name: string) => {
  if (!process.env.E2E_SCREENSHOTS) return;
  await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, name), fullPage: true });
  await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, name.replace(/\.png$/, "-viewport.png")) });
};

beforeAll(async () => {
  browser = await launch();
  token = (await kura.createTenant({ slug, name: `共有テスト ${run}`, adminEmail, password })).admin.token;
  projectId = await kura.createProject(token, `渋谷ロケ 2026 本編カラーグレーディング確認用プロジェクト ${run}`);
  await uploadStills(token, projectId, [LONG, "cut02.jpg", "cut03.jpg"]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("share screens in the browser", () => {
  it.each([
    { locale: "ja-JP" as const, width: 1440, recipient: "very.long.recipient.name.for.the.client.review@production-house.example.co.jp" },
    { locale: "en-GB" as const, width: 390, recipient: "client@example.com" },
  ])("$locale at $width px: share a selection, see the link and QR once, pause and resume it", { timeout: 120_000 }, async ({ locale, width, recipient }) => {
    const { context, problems } = await strictContext(browser, { locale, timezoneId: "Asia/Tokyo", viewport: { width, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
    const tag = `${locale}-${width}`;

    // Select two files (a click, then a Ctrl+click) and open the share form from the selection bar.
    await page.locator(`[data-testid=asset-item][data-name="${LONG}"]`).click();
    await page.locator("[data-testid=asset-item][data-name='cut02.jpg']").click({ modifiers: ["Control"] });
    await page.getByTestId("share-open").click();
    const form = page.getByTestId("share-form");
    await form.waitFor();
    await form.locator("#share-recipients").fill(recipient);
    await form.getByTestId("share-protection-generate").check();
    await shot(page, `share-form-${tag}.png`);
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), form.getByTestId("share-submit").click()]);

    // The link, its QR code and the made password, once.
    const created = page.getByTestId("share-created");
    await created.waitFor();
    const links = created.getByTestId("share-link");
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute("data-recipient")).toBe(recipient);
    const url = (await links.first().getByTestId("share-link-url").textContent())!.trim();
    expect(url).toMatch(new RegExp(`^${BASE_URL.replace(/[.]/g, "\\.")}/s/[a-z2-7]{32}$`));
    const qr = links.first().getByTestId("share-qr");
    const size = Number((await qr.getAttribute("viewBox"))!.split(" ")[2]);
    expect(decodeQrPath((await qr.locator("path").getAttribute("d"))!, size)).toBe(url);
    expect((await qr.boundingBox())!.width).toBeGreaterThan(120);
    const made = (await created.getByTestId("share-password").textContent())!.trim();
    expect(made).toMatch(/^[a-z2-7]{16}$/);
    await links.first().getByTestId("share-link-copy").click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await shot(page, `share-created-${tag}.png`);
    const shareId = await created.getAttribute("data-share-id");
    expect(shareId).toMatch(/^shr_/);

    // The recipient opens the link (the guest API), so the screen has an open to show.
    const shareToken = new URL(url).pathname.slice(3);
    await kura.must(200, `/public/shares/${shareToken}/session`, { method: "POST", json: { password: made } });

    // The project's shares screen: the share, its recipient and the open; pause, then resume.
    await Promise.all([page.waitForURL(`${BASE_URL}/projects/${projectId}/shares`), created.getByTestId("share-open-shares").click()]);
    const card = page.locator(`[data-testid=share][data-share-id="${shareId}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-state")).toBe("active");
    const row = card.locator(`[data-testid=share-link-row][data-recipient="${recipient}"]`);
    expect(await row.getByTestId("share-link-accesses").textContent()).toMatch(/1/);
    // Shown once: the screen has neither the link nor the password.
    expect(await page.content()).not.toContain(shareToken);
    expect(await page.content()).not.toContain(made);

    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), card.getByTestId("share-pause").click()]);
    await expect.poll(() => card.getAttribute("data-state")).toBe("paused");
    expect(await card.getByTestId("share-state").textContent()).toBe(locale === "ja-JP" ? "一時停止中" : "Paused");
    expect((await kura.api(`/public/shares/${shareToken}/session`, { method: "POST", json: { password: made } })).status).toBe(404);
    await shot(page, `shares-paused-${tag}.png`);
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), card.getByTestId("share-resume").click()]);
    await expect.poll(() => card.getAttribute("data-state")).toBe("active");
    await kura.must(200, `/public/shares/${shareToken}/session`, { method: "POST", json: { password: made } });

    // Changing a setting keeps the URL: open the settings, raise the cap, save.
    await card.getByTestId("share-edit-open").click();
    await card.locator("input[name=maxDownloads]").fill("5");
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), card.getByTestId("share-edit-save").click()]);
    await card.getByTestId("share-notice").waitFor();
    await kura.must(200, `/public/shares/${shareToken}/session`, { method: "POST", json: { password: made } });
    await shot(page, `shares-${tag}.png`);

    // The admin's screen: the policy and the same share.
    await page.goto("/admin/shares");
    await page.getByTestId("share-policy").waitFor();
    expect(await page.locator("[data-testid=share]").count()).toBeGreaterThan(0);
    await shot(page, `admin-shares-${tag}.png`);

    // No horizontal scrolling at this width.
    for (const where of [`/projects/${projectId}/shares`, "/admin/shares"]) {
      await page.goto(where);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), where).toBe(true);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
