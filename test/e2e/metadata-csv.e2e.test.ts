import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, signInOnProject, uploadStills, waitHydrated } from "./helpers";

/**
 * Metadata CSV in Chromium (issue #14, ADR 0033): the folder's export downloaded from the browse
 * page, one value edited in the file, a check-only preview showing the row with a bad date, then
 * the import; the page shows its report and the asset has the new value. In Japanese.
 */

const run = Date.now().toString(36);
const slug = `mcsv-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Shot lists for the Asakusa client 2026";

let browser: Browser;
let token = "";
let projectId = "";
let ids: Record<string, string> = {};

beforeAll(async () => {
  browser = await launch();
  token = (await kura.createTenant({ slug, name: `CSV ${run}`, adminEmail, password })).admin.token;
  projectId = await kura.createProject(token, `撮影リスト ${run}`);
  for (const [key, type] of [
    ["scene", "text"],
    ["shot_date", "date"],
  ] as const) {
    await kura.must(201, "/metadata-fields", { json: { key, label: key, type }, token });
  }
  ids = await uploadStills(token, projectId, ["cut01.jpg", "cut02.jpg"]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("metadata CSV in the browser", () => {
  it("exports the folder, previews an edited file with a bad row, imports it", { timeout: 90_000 }, async () => {
    const { context, problems } = await strictContext(browser, { locale: "ja-JP", timezoneId: "Asia/Tokyo", viewport: { width: 1440, height: 900 } });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
    await waitHydrated(page);

    await page.locator("[data-testid=metadata-csv] > summary").click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-testid=metadata-export-folder] button[type=submit]").click()]);
    expect(download.suggestedFilename()).toMatch(/_metadata\.csv$/);
    const exported = readFileSync(await download.path());
    expect([...exported.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(exported, { bom: true }) as string[][];
    const header = rows[0]!;
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(Object.values(ids).sort());

    const scene = header.indexOf("metadata.scene");
    const date = header.indexOf("metadata.shot_date");
    const edited = rows.map((r) => {
      if (r[0] === ids["cut01.jpg"]) return r.map((c, i) => (i === scene ? "浅草寺、夕方" : c));
      if (r[0] === ids["cut02.jpg"]) return r.map((c, i) => (i === date ? "2026-02-30" : i === scene ? "not applied" : c));
      return r;
    });
    const csv = edited.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\r\n") + "\r\n";
    await page.locator("#csv-file").setInputFiles({ name: "edited.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByTestId("metadata-import-preview").click()]);
    await page.locator("[data-testid=csv-report][data-dry-run=yes]").waitFor();
    const badRow = rows.findIndex((r) => r[0] === ids["cut02.jpg"]) + 1;
    const error = page.locator(`[data-testid=csv-error][data-row="${badRow}"][data-column="metadata.shot_date"]`);
    await error.waitFor();
    expect(await error.textContent()).toContain("日付");
    expect((await kura.must<{ metadata: Record<string, unknown> }>(200, `/assets/${ids["cut01.jpg"]}`, { token })).metadata.scene).toBeUndefined();

    // The file input keeps its file after the preview: the same file is imported.
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByTestId("metadata-import-apply").click()]);
    await page.locator("[data-testid=csv-report][data-dry-run=no]").waitFor();
    expect(await page.getByTestId("csv-summary").textContent()).toContain("1 行を更新");
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, "metadata-csv-ja.png"), fullPage: true });
    expect((await kura.must<{ metadata: Record<string, unknown> }>(200, `/assets/${ids["cut01.jpg"]}`, { token })).metadata.scene).toBe("浅草寺、夕方");
    expect((await kura.must<{ metadata: Record<string, unknown> }>(200, `/assets/${ids["cut02.jpg"]}`, { token })).metadata.scene).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });
});
