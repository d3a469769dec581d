import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, signInOnProject, waitHydrated } from "./helpers";

/**
 * The browse page in Chromium (issue #11): tag facets that count what their
 * click shows, clean addresses after posts and GET filters, and no serious
 * or critical axe-core findings.
 */

const run = Date.now().toString(36);
const slug = `browse-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Paper lanterns along the Kamo at night 17";
const TAG = "ロケハン";

let browser: Browser;
let token = "";
let projectId = "";

async function smallAsset(name: string, tags: string[], folderId?: string, project = projectId) {
  const { id } = await kura.uploadAsset<{ id: string }>(token, project, name, `bytes of ${name}`, { type: "text/plain", folderId });
  if (tags.length) expect((await kura.api(`/assets/${id}`, { method: "PATCH", json: { tags }, token })).status).toBe(200);
}

beforeAll(async () => {
  browser = await launch();
  token = (await kura.createTenant({ slug, name: `ブラウズ ${run}`, adminEmail, password })).admin.token;
  projectId = (await kura.api<{ id: string }>("/projects", { json: { name: "ファセット" }, token })).body.id;
  const folder = await kura.api<{ id: string }>(`/projects/${projectId}/folders`, { json: { name: "Day 1" }, token });
  expect(folder.status).toBe(201);
  await smallAsset("root-a.txt", [TAG]);
  await smallAsset("root-b.txt", [TAG]);
  for (const name of ["day1-a.txt", "day1-b.txt", "day1-c.txt"]) await smallAsset(name, [TAG], folder.body.id);
});

afterAll(async () => {
  await browser?.close();
});

/** The count a facet shows. */
async function facetCount(page: Page, tag: string): Promise<number> {
  return Number(await page.locator(`[data-testid=tag-facet][data-tag="${tag}"] .count`).textContent());
}

describe("browse page in Chromium", () => {
  it("a facet click at the root returns its counted assets", async () => {
    const { context, problems } = await strictContext(browser, { locale: "ja-JP" });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
    const counted = await facetCount(page, TAG);
    await Promise.all([page.waitForURL((url) => url.searchParams.get("tag") === TAG), page.locator(`[data-testid=tag-facet][data-tag="${TAG}"]`).click()]);
    await page.locator("[data-testid=active-filters]").waitFor();
    expect(await page.locator("[data-testid=asset-item]").count()).toBe(counted);
    expect(counted).toBe(2);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("after a form post the address has no ?index, and GET filters leave out empty fields", async () => {
    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
    await page.fill("#new-folder-name", "Day 2");
    await page.locator("form.new-folder button[type=submit]").click();
    await page.locator("[data-testid=folders] [role=status]").waitFor();
    // The new folder is listed, by whichever page holds it now: on a loaded machine the click can
    // land before hydration, and then the browser itself posts the form (a new document). The
    // checks below must run on that page, hydrated, not on the one the click left.
    await page.locator("[data-testid=folder-item][data-name='Day 2']").waitFor();
    await waitHydrated(page);
    // The address itself, not page.url(): Playwright learns of a replaceState a moment later.
    await page.waitForFunction(() => !new URLSearchParams(window.location.search).has("index"), undefined, { timeout: 5_000 });
    expect(await page.evaluate(() => window.location.search)).toBe("");

    // A post that the router does not see (sent before hydration, or by the browser itself) is a
    // document POST to "?index"; once the page has hydrated the address is clean again.
    await page.fill("#new-folder-name", "Day 3");
    await Promise.all([page.waitForEvent("framenavigated"), page.locator("form.new-folder").evaluate((f) => (f as HTMLFormElement).submit())]);
    await page.waitForLoadState("load");
    await waitHydrated(page);
    await page.locator("[data-testid=folder-item][data-name='Day 3']").waitFor();
    await page.waitForFunction(() => !new URLSearchParams(window.location.search).has("index"), undefined, { timeout: 5_000 });

    await page.getByTestId("search-q").fill("root");
    await Promise.all([page.waitForURL((url) => url.searchParams.get("q") === "root"), page.getByTestId("search-q").press("Enter")]);
    await page.waitForFunction(() => !new URLSearchParams(window.location.search).has("index"), undefined, { timeout: 5_000 });
    expect([...new URLSearchParams(await page.evaluate(() => window.location.search)).keys()].sort()).toEqual(["q", "scope", "sort"]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("load more: scrolling to the end loads the next page from the page's own loader", { timeout: 120_000 }, async () => {
    const many = (await kura.api<{ id: string }>("/projects", { json: { name: "たくさん" }, token })).body.id;
    // One at a time: parallel uploads by one user are refused with 503 (upload reservations).
    for (let i = 0; i < 105; i++) await smallAsset(`clip-${String(i).padStart(3, "0")}.txt`, [], undefined, many);
    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId: many });
    // A phone-speed CPU: at this rate the page's render of the loaded page used to be lost
    // (an effect keyed on the fetcher's state never ran) in about one run in four.
    await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: 8 });
    const asked: string[] = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname));
    expect(await page.getByTestId("loaded-count").textContent()).toBe("100 loaded, scroll for more");
    await expect
      .poll(
        async () => {
          await page.getByTestId("asset-browser").evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return page.getByTestId("loaded-count").textContent();
        },
        { timeout: 15_000 },
      )
      .toBe("105 loaded");
    expect(asked.filter((p) => p.startsWith("/web/v1/projects/"))).toEqual([]);
    expect(asked).toContain(`/projects/${many}.data`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("has no serious or critical axe-core findings (ja and en)", async () => {
    for (const locale of ["ja-JP", "en-US"]) {
      const { context } = await strictContext(browser, { locale });
      const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
      await waitHydrated(page);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(bad, locale).toEqual([]);
      await context.close();
    }
  });
});
