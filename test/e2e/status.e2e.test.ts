import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("/status in Chromium", () => {
  it("shows every component operational in Japanese for a Japanese browser", async () => {
    const { context, problems } = await strictContext(browser, { locale: "ja-JP" });
    const page = await context.newPage();
    const res = await page.goto("/status");
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await expect.poll(() => page.locator("h1").textContent()).toBe("サービス稼働状況");
    expect(await page.getByTestId("overall").textContent()).toBe("すべてのシステムは正常に稼働しています");
    for (const [name, label] of [
      ["database", "データベース"],
      ["storage", "ファイルストレージ"],
      ["backups", "バックアップ"],
      ["audit_log", "監査ログ"],
      ["configuration", "サービス設定"],
    ]) {
      const row = page.locator(`li[data-component="${name}"]`);
      expect(await row.textContent()).toContain(label);
      expect(await row.locator(".state").getAttribute("data-state")).toBe("operational");
      expect(await row.locator(".state").textContent()).toBe("正常");
    }
    // The app hydrated under the strict CSP: no violations, no errors.
    await page.waitForFunction(() => (window as unknown as { __remixContext?: unknown }).__remixContext !== undefined);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows English for an English browser, and the language switch persists the choice", async () => {
    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/status");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe("Service status");
    expect(await page.getByTestId("overall").textContent()).toBe("All systems operational");
    expect(await page.locator('li[data-component="audit_log"]').textContent()).toContain("Audit log");

    // Switch to Japanese with the header form; the choice beats Accept-Language.
    await page.selectOption("#locale-select", "ja");
    await Promise.all([page.waitForURL(`${BASE_URL}/status`), page.click(".lang-switch button")]);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    expect(await page.locator("h1").textContent()).toBe("サービス稼働状況");
    await page.goto("/");
    expect(await page.locator("h1").textContent()).toBe("蔵 Kura メディアアセット管理");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("navigates client-side from the home page to the status page", async () => {
    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/");
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await page.click("text=See the current service status");
    await page.waitForURL(`${BASE_URL}/status`);
    await expect.poll(() => page.getByTestId("overall").textContent()).toBe("All systems operational");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("answers an unknown page with a localised 404 that leaks nothing", async () => {
    const { context } = await strictContext(browser, { locale: "en-US" });
    const page = await context.newPage();
    const res = await page.goto("/no/such/page");
    expect(res?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
    expect(await page.content()).not.toMatch(/Error:|at .*\.js/);
    await context.close();
  });
});
