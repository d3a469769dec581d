import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, signInOnProject, uploadStills } from "./helpers";

/**
 * Collections in Chromium (issue #14): created from the browse page's side panel, filled from a
 * selection of the grid, opened on their own page, an asset taken out; the assets stay in the
 * project. In Japanese at 1440 px and in English at 390 px.
 */

const run = Date.now().toString(36);
const slug = `coll-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Three reels for the Asakusa client 2026";

let browser: Browser;
let token = "";
let projectId = "";

beforeAll(async () => {
  browser = await launch();
  token = (await kura.createTenant({ slug, name: `コレクション ${run}`, adminEmail, password })).admin.token;
  projectId = await kura.createProject(token, `納品 ${run}`);
  await uploadStills(token, projectId, ["カット01_とても長いファイル名の写真_浅草寺の境内で撮影.jpg", "cut02.jpg", "cut03.jpg"]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("collections in the browser", () => {
  it.each([
    { locale: "ja-JP" as const, width: 1440, name: "クライアント確認用_第一稿の候補カット集" },
    { locale: "en-GB" as const, width: 390, name: "Client selects" },
  ])("$locale at $width px: create, add a selection, open, take one out", { timeout: 90_000 }, async ({ locale, width, name }) => {
    const { context, problems } = await strictContext(browser, { locale, timezoneId: "Asia/Tokyo", viewport: { width, height: 900 } });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });

    await page.fill("#collection-name", name);
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByTestId("collection-create").click()]);
    await page.locator(`[data-testid=collection][data-name="${name}"]`).waitFor();

    // Select two assets (a click, then a Ctrl+click) and add them.
    await page.locator("[data-testid=asset-item][data-name='cut02.jpg']").click();
    await page.locator("[data-testid=asset-item][data-name='cut03.jpg']").click({ modifiers: ["Control"] });
    await page.getByTestId("bulk-bar").waitFor();
    await page.locator("#bulk-collection").selectOption({ label: name });
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.locator("[data-testid=collection-add-form] button[type=submit]").click(),
    ]);
    await page.getByTestId("bulk-notice").waitFor();
    await expect.poll(() => page.locator(`[data-testid=collection][data-name="${name}"]`).textContent()).toMatch(/2/);

    await page.locator(`[data-testid=collection][data-name="${name}"] a`).click();
    await page.getByTestId("collection-name").waitFor();
    expect(await page.getByTestId("collection-name").textContent()).toBe(name);
    expect((await page.locator("[data-testid=collection-asset]").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")))).sort()).toEqual([
      "cut02.jpg",
      "cut03.jpg",
    ]);
    if (process.env.E2E_SCREENSHOTS)
      await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, `collection-${locale}-${width}.png`), fullPage: true });

    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.locator("[data-testid=collection-asset][data-name='cut02.jpg'] [data-testid=collection-remove]").click(),
    ]);
    await expect.poll(() => page.locator("[data-testid=collection-asset]").count()).toBe(1);
    expect(await page.getByTestId("collection-count").textContent()).toMatch(/1/);
    // The asset stays in the project.
    const list = await kura.must<{ items: { name: string }[] }>(200, `/projects/${projectId}/assets`, { token });
    expect(list.items.map((a) => a.name)).toContain("cut02.jpg");
    expect(problems).toEqual([]);
    await context.close();
  });
});
