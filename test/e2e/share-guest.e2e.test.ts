import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, signedInContext, waitHydrated, waitMediaReady } from "./helpers";

/**
 * Issue #14's guest story in Chromium against wrangler dev: a team member shares a file from the
 * browse page with a password, a download cap of 1 and one recipient who must prove their address. In a fresh browser context the guest is
 * refused with a wrong password, gets in with the right one and the e-mailed code, downloads the
 * original once (byte-identical) and is refused the second time; a paused share is 404 and a
 * resumed one opens again; the guest's marker and verdict are what the team then sees.
 */

const ROOT = path.resolve(__dirname, "../..");
const run = Date.now().toString(36);
const slug = `guest-${run}`;
const adminEmail = `admin@${slug}.example`;
const recipient = `client-${run}@example.com`;
const password = "Rushes for the Shibuya client 2026";
const sharePassword = "Kanda-river-7-reels";

let browser: Browser;
let dir: string;
let admin = "";
let projectId = "";
let assetId = "";
let original: Buffer;
let shareId = "";
let shareUrl = "";

async function codeFor(to: string): Promise<string> {
  let code: string | null = null;
  await expect
    .poll(
      async () => {
        const { body } = await kura.api(`/operator/outbox?to=${encodeURIComponent(to)}`, { token: kura.operatorToken });
        const mails = (body as { items: { text: string; subject: string }[] }).items;
        code = /\b(\d{6})\b/.exec(mails[0]?.text ?? "")?.[1] ?? null;
        return code;
      },
      { timeout: 10_000 },
    )
    .not.toBeNull();
  return code!;
}

async function guestContext(locale: "ja-JP" | "en-GB", width: number): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const { context, problems } = await strictContext(browser, { locale, timezoneId: "Asia/Tokyo", viewport: { width, height: 900 }, acceptDownloads: true });
  return { context, page: await context.newPage(), problems };
}

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, `${name}.png`), fullPage: true });
};

beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(tmpdir(), "kura-guest-"));
  const made = spawnSync(process.execPath, [path.join(ROOT, "scripts", "make-media-fixtures.mjs"), dir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(made.stderr);
  admin = (await kura.createTenant({ slug, name: `株式会社 渋谷ポストプロダクション ${run}`, adminEmail, password })).admin.token;
  projectId = await kura.createProject(admin, `CM 2026 ${run}`);
  original = readFileSync(path.join(dir, "frames_2997df.mp4"));
  assetId = (await kura.uploadAsset<{ id: string }>(admin, projectId, "渋谷_CM_第2稿_ロング版_クライアント確認用.mp4", new Uint8Array(original))).id;
  await kura.waitProcessed(admin, assetId, 30_000);
  await waitMediaReady(admin, assetId);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The team member's side: the share made on the browse page's selection, with the share form. */
async function createShareInTheBrowser() {
  const { context, page, problems } = await signedInContext(browser, { slug, email: adminEmail, password, locale: "ja-JP", width: 1440 });
  await page.goto(`/projects/${projectId}`);
  await waitHydrated(page);
  await page.locator("[data-testid=asset-item]").first().click();
  await page.getByTestId("share-open").click();
  const form = page.getByTestId("share-form");
  await form.locator("#share-recipients").fill(recipient);
  await form.locator("#share-scope").selectOption("preview_download");
  for (const name of ["downloadOriginal", "comments", "approval", "watermark", "verifyEmail"]) await form.locator(`input[name=${name}]`).check();
  await form.locator("input[name=maxDownloads]").fill("1");
  await form.getByTestId("share-protection-own").check();
  await form.locator("#share-password-input").fill(sharePassword);
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), form.getByTestId("share-submit").click()]);
  const created = page.getByTestId("share-created");
  await created.waitFor();
  shareId = (await created.getAttribute("data-share-id"))!;
  shareUrl = (await created.getByTestId("share-link").first().getByTestId("share-link-url").textContent())!.trim();
  await shot(page, "team-share-created-ja-1440");
  expect(problems).toEqual([]);
  await context.close();
  const made = await kura.must<{ maxDownloads: number; hasPassword: boolean; verifyEmail: boolean; links: { recipientEmail: string }[] }>(
    200,
    `/shares/${shareId}`,
    {
      token: admin,
    },
  );
  expect(made).toMatchObject({ maxDownloads: 1, hasPassword: true, verifyEmail: true, links: [{ recipientEmail: recipient }] });
}

describe("a share's guest", () => {
  it("gets in with the password and the e-mailed code, downloads once, comments and approves; the team sees it", { timeout: 150_000 }, async () => {
    await createShareInTheBrowser();
    const { context, page, problems } = await guestContext("ja-JP", 1440);
    await page.goto(shareUrl);
    await page.getByTestId("guest-gate").waitFor();
    expect(await page.getByTestId("guest-tenant").textContent()).toContain("渋谷ポストプロダクション");
    // Nothing leaks the token onwards, and nothing may index or frame the page.
    const head = await page.request.get(shareUrl);
    expect(head.headers()["referrer-policy"]).toBe("no-referrer");
    expect(head.headers()["x-robots-tag"]).toContain("noindex");
    expect(head.headers()["x-frame-options"]).toBe("DENY");
    await waitHydrated(page);
    await shot(page, "guest-gate-ja-1440");

    await page.fill("#f-password", "not the password");
    await page.getByTestId("guest-open").click();
    await page.locator("[data-testid=form-error][data-code=invalid_credentials]").waitFor();
    await page.fill("#f-password", sharePassword);
    await page.getByTestId("guest-open").click();
    await page.locator("[data-testid=guest-gate][data-stage=code]").waitFor();
    expect(await page.getByTestId("guest-code-sent").textContent()).toContain(recipient);
    await page.fill("#f-code", await codeFor(recipient));
    await page.getByTestId("guest-verify").click();
    await page.getByTestId("guest-files").waitFor();
    expect(await page.getByTestId("guest-identity").first().textContent()).toContain(recipient);
    await shot(page, "guest-files-ja-1440");

    // The first download is the original, byte for byte; the second is refused (cap 1).
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("guest-download").first().click()]);
    const saved = path.join(dir, "downloaded.mp4");
    await download.saveAs(saved);
    expect(readFileSync(saved).equals(original)).toBe(true);
    await expect
      .poll(async () => (await kura.must<{ links: { downloads: number }[] }>(200, `/shares/${shareId}`, { token: admin })).links[0]!.downloads)
      .toBe(1);
    const second = await page.request.get(
      new URL(`/web/v1/public/shares/${new URL(shareUrl).pathname.slice(3)}/assets/${assetId}/original`, shareUrl).toString(),
    );
    expect(second.status()).toBe(403);

    // The player, with the guest's identity over the picture; a marker and a verdict.
    await page.getByTestId("guest-asset-open").first().click();
    await page.getByTestId("editor-player").waitFor({ timeout: 30_000 });
    await waitHydrated(page);
    expect(await page.getByTestId("guest-watermark").first().textContent()).toContain(recipient);
    await page.getByTestId("marker-text").fill("テロップの誤字を直してください");
    await page.getByTestId("marker-add").click();
    await page.getByTestId("marker-item").waitFor();
    await page.getByTestId("guest-approval-note").fill("誤字以外はOKです");
    await page.getByTestId("guest-needs-changes").click();
    await page.locator("[data-testid=guest-approval][data-status=needs_changes]").waitFor();
    await shot(page, "guest-player-ja-1440");
    expect(problems).toEqual([]);
    await context.close();

    // The team sees the guest's marker and verdict on the asset page.
    const team = await signedInContext(browser, { slug, email: adminEmail, password, locale: "en-GB", width: 1440 });
    await team.page.goto(`/projects/${projectId}/assets/${assetId}`);
    await team.page.locator("[data-testid=guest-verdict][data-status=needs_changes]").waitFor();
    expect(await team.page.getByTestId("guest-verdicts").textContent()).toContain(recipient);
    await expect.poll(() => team.page.getByTestId("marker-item-text").allTextContents()).toContain("テロップの誤字を直してください");
    expect(await team.page.getByTestId("marker-panel").textContent()).toContain(recipient);
    await shot(team.page, "team-sees-guest-en-1440");
    await team.context.close();
  });

  it("a paused share is 404 to the guest, a resumed one opens again (en, 390 px)", { timeout: 90_000 }, async () => {
    await kura.must(200, `/shares/${shareId}`, { token: admin, method: "PATCH", json: { paused: true } });
    const { context, page } = await guestContext("en-GB", 390);
    const paused = await page.goto(shareUrl);
    expect(paused?.status()).toBe(404);
    await kura.must(200, `/shares/${shareId}`, { token: admin, method: "PATCH", json: { paused: false } });
    const resumed = await page.goto(shareUrl);
    expect(resumed?.status()).toBe(200);
    await page.getByTestId("guest-gate").waitFor();
    await shot(page, "guest-gate-en-390");
    await context.close();
  });

  it("a share of 75 files shows the first 50 and the rest as the guest scrolls (en, 390 px; ja, 1440 px)", { timeout: 120_000 }, async () => {
    const names = Array.from(
      { length: 75 },
      (_, i) => `${String(i + 1).padStart(3, "0")}_渋谷スクランブル交差点_俯瞰_夕景_テイク${i + 1}_ロングネーム確認用.bin`,
    );
    const ids: string[] = [];
    for (const name of names) ids.push((await kura.uploadAsset<{ id: string }>(admin, projectId, name, new TextEncoder().encode(name))).id);
    const made = await kura.must<{ url: string }>(201, "/shares", {
      token: admin,
      method: "POST",
      json: { projectId, assetIds: ids, scope: "preview", expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    for (const [locale, width, more] of [
      ["en-GB", 390, "Showing 50 of 75"],
      ["ja-JP", 1440, "75 件中 50 件を表示"],
    ] as const) {
      const { context, page, problems } = await guestContext(locale, width);
      await page.goto(made.url);
      await waitHydrated(page);
      await page.getByTestId("guest-open").click();
      await page.getByTestId("guest-files").waitFor();
      expect(await page.getByTestId("guest-asset").count()).toBe(50);
      expect(await page.getByTestId("guest-shown").textContent()).toBe(more);
      await shot(page, `guest-files-first-page-${locale}-${width}`);
      await page.getByTestId("guest-more").scrollIntoViewIfNeeded();
      await expect.poll(() => page.getByTestId("guest-asset").count()).toBe(75);
      expect(await page.getByTestId("guest-more").count()).toBe(0);
      const shown = await page.locator("[data-testid=guest-asset] .guest-card-name").allTextContents();
      expect(shown).toEqual(names);
      await shot(page, `guest-files-all-${locale}-${width}`);
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
