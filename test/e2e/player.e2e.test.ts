import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameToTimecode, type FrameRate } from "../../app/media/timecode";
import { launch, strictContext } from "./browser";
import { dropPaths, kura, shownFrameNumber, signedInContext, signInOnProject, waitAllUploadsDone } from "./helpers";

/**
 * Issue #13's player in Chromium, with the real transcoder behind wrangler dev: a ProRes file
 * uploaded through the page becomes a proxy a viewer plays; on videos whose every frame carries
 * its own number as a barcode, stepping and typed timecodes land on exactly the expected frame,
 * read back from the drawn pixels, at 29.97 drop frame and at 23.976.
 */

const ROOT = path.resolve(__dirname, "../..");
const run = Date.now().toString(36);
const slug = `play-${run}`;
const adminEmail = `admin@${slug}.example`;
const viewerEmail = `viewer@${slug}.example`;
const password = "Reels spin in the Kanda vault 2026";

let browser: Browser;
let dir: string;
let admin = "";
let projectId = "";

type Media = { status: string; proxy: { frames: number } | null };

async function waitMedia(assetId: string): Promise<Media> {
  const started = Date.now();
  for (;;) {
    const media = await kura.must<Media>(200, `/assets/${assetId}/media`, { token: admin });
    if (media.status === "ready" || media.status === "failed") return media;
    if (Date.now() - started > 90_000) throw new Error(`media of ${assetId} still ${media.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Waits until the player has presented `frame`, then checks the pixels and the timecode display. */
async function expectFrame(page: Page, frame: number, rate: FrameRate, start: number) {
  await page.locator(`[data-testid=editor-player][data-frame="${frame}"]`).waitFor({ timeout: 10_000 });
  expect(await shownFrameNumber(page)).toBe(frame);
  expect(await page.getByTestId("player-timecode").textContent()).toBe(frameToTimecode(frame, rate, { start }));
}

const signIn = (email: string, locale: "ja-JP" | "en-GB" = "en-GB", width = 1440) => signedInContext(browser, { slug, email, password, locale, width });

async function goTo(page: Page, timecode: string) {
  await page.fill("#player-goto", timecode);
  await page.press("#player-goto", "Enter");
}

beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(tmpdir(), "kura-player-"));
  const made = spawnSync(process.execPath, [path.join(ROOT, "scripts", "make-media-fixtures.mjs"), dir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(made.stderr);
  const tenant = await kura.createTenant({ slug, name: `再生 ${run}`, adminEmail, password });
  admin = tenant.admin.token;
  projectId = await kura.createProject(admin, `試写 ${run}`);
  const viewer = await kura.addUser(admin, slug, { email: viewerEmail, password, name: "Viewer" });
  await kura.grant(admin, projectId, viewer.id, "viewer");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the player", () => {
  it("a ProRes file uploaded through the page gets a proxy that a viewer plays (never the original)", { timeout: 180_000 }, async () => {
    const { context, problems } = await strictContext(browser, { locale: "en-GB", viewport: { width: 1440, height: 900 } });
    const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
    await dropPaths(context, page, [path.join(dir, "prores422_2997df.mov")]);
    await waitAllUploadsDone(page, 1);
    const list = await kura.must<{ items: { id: string; name: string }[] }>(200, `/projects/${projectId}/assets`, { token: admin });
    const asset = list.items.find((a) => a.name === "prores422_2997df.mov")!;
    // The admin's asset page follows the job and shows the player when the proxy is there.
    await page.goto(`/projects/${projectId}/assets/${asset.id}`);
    await page.getByTestId("editor-player").waitFor({ timeout: 90_000 });
    expect(problems).toEqual([]);
    await context.close();

    const viewer = await signIn(viewerEmail);
    await viewer.page.goto(`/projects/${projectId}/assets/${asset.id}`);
    await viewer.page.getByTestId("editor-player").waitFor();
    expect(await viewer.page.getByTestId("download-original").count()).toBe(0);
    expect(await viewer.page.getByTestId("download-proxy").count()).toBe(1);
    const src = await viewer.page.getByTestId("player-video").getAttribute("src");
    expect(src).toBe(`/web/v1/assets/${asset.id}/stream`);
    await viewer.page.getByTestId("player-play").click();
    await expect.poll(async () => Number(await viewer.page.getByTestId("editor-player").getAttribute("data-frame")), { timeout: 15_000 }).toBeGreaterThan(10);
    // 29.97 drop frame from the file's own start timecode.
    expect(await viewer.page.getByTestId("player-timecode").textContent()).toMatch(/^00:59:59;\d\d$/);
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();
  });

  const CASES = [
    {
      file: "frames_2997df.mp4",
      rate: { num: 30000, den: 1001 },
      start: "00:00:58;00",
      startFrame: 1740,
      goto: "00:00:59;29",
      gotoFrame: 59,
      dropped: "00:01:00;00",
      frames: 120,
    },
    {
      file: "frames_23976.mp4",
      rate: { num: 24000, den: 1001 },
      start: "00:00:00:00",
      startFrame: 0,
      goto: "00:00:02:05",
      gotoFrame: 53,
      dropped: null,
      frames: 96,
    },
  ];

  it.each(CASES)("$file: ±1 and ±10 frames and typed timecodes show exactly the expected frame", { timeout: 120_000 }, async (c) => {
    const created = await kura.uploadAsset<{ id: string }>(admin, projectId, c.file, new Uint8Array(readFileSync(path.join(dir, c.file))));
    await kura.waitProcessed(admin, created.id, 30_000);
    const media = await waitMedia(created.id);
    // Four seconds: 120 frames at 29.97, 96 at 23.976, every one of them in the proxy.
    expect(media).toMatchObject({ status: "ready", proxy: { frames: c.frames } });
    const asset = await kura.must<{ technical: { startTimecode?: string } }>(200, `/assets/${created.id}`, { token: admin });
    expect(asset.technical.startTimecode).toBe(c.start);

    const { context, page, problems } = await signIn(viewerEmail, "ja-JP");
    await page.goto(`/projects/${projectId}/assets/${created.id}`);
    await page.getByTestId("editor-player").waitFor();
    await page
      .locator("[data-testid=player-video]")
      .evaluate((v: HTMLVideoElement) => (v.readyState >= 2 ? null : new Promise((r) => v.addEventListener("loadeddata", r, { once: true }))));
    await expectFrame(page, 0, c.rate, c.startFrame);

    await goTo(page, c.goto);
    await expectFrame(page, c.gotoFrame, c.rate, c.startFrame);
    // Keyboard and buttons: +1, −1, +10, −10.
    await page.keyboard.press("ArrowRight");
    await expectFrame(page, c.gotoFrame + 1, c.rate, c.startFrame);
    await page.getByTestId("player-back1").click();
    await expectFrame(page, c.gotoFrame, c.rate, c.startFrame);
    await page.keyboard.press("Shift+ArrowRight");
    await expectFrame(page, c.gotoFrame + 10, c.rate, c.startFrame);
    await page.getByTestId("player-back10").click();
    await expectFrame(page, c.gotoFrame, c.rate, c.startFrame);
    // The next frame after 00:00:59;29 is 00:01:00;02: drop frame skips two labels.
    if (c.rate.num === 30000) expect(frameToTimecode(c.gotoFrame + 1, c.rate, { start: c.startFrame })).toBe("00:01:00;02");
    if (c.dropped) {
      await goTo(page, c.dropped);
      await page.getByTestId("goto-error").waitFor();
      await expectFrame(page, c.gotoFrame, c.rate, c.startFrame);
      // Escape leaves the field, and the keys are the player's again.
      await page.press("#player-goto", "Escape");
    }
    // The last frame, and no further.
    await page.keyboard.press("End");
    await expectFrame(page, c.frames - 1, c.rate, c.startFrame);
    await page.keyboard.press("ArrowRight");
    await expectFrame(page, c.frames - 1, c.rate, c.startFrame);
    expect(problems).toEqual([]);
    await context.close();
  });
});
