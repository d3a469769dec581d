import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser";
import { kura, shownFrameNumber, signedInContext, waitHydrated, waitMediaReady } from "./helpers";

/**
 * Issue #14's markers in Chromium on the real player (the transcoder behind wrangler dev makes the
 * proxy): a member marks In and Out, draws a rectangle on the paused frame and adds a range marker;
 * after a reload the marker is listed, a click brings the player to exactly its first frame (read
 * from the barcode in the pixels), and the rectangle is drawn at the same place over the picture.
 */

const ROOT = path.resolve(__dirname, "../..");
const run = Date.now().toString(36);
const slug = `mark-${run}`;
const adminEmail = `admin@${slug}.example`;
const memberEmail = `member@${slug}.example`;
const password = "Sticky notes on the Kanda reel 2026";

let browser: Browser;
let dir: string;
let admin = "";
let projectId = "";
let assetId = "";
let audioId = "";

type Marker = {
  startFrame: number;
  endFrame: number | null;
  text: string;
  shapes: { version: number; items: { type: string; x: number; y: number; w: number; h: number }[] } | null;
};

const signIn = (locale: "ja-JP" | "en-GB", width: number) => signedInContext(browser, { slug, email: memberEmail, password, locale, width });

async function openPlayer(page: Page) {
  await page.goto(`/projects/${projectId}/assets/${assetId}`);
  await page.getByTestId("editor-player").waitFor({ timeout: 30_000 });
  await waitHydrated(page);
  await page
    .locator("[data-testid=player-video]")
    .evaluate((v: HTMLVideoElement) => (v.readyState >= 2 ? null : new Promise((r) => v.addEventListener("loadeddata", r, { once: true }))));
}

async function goTo(page: Page, timecode: string, frame: number) {
  await page.fill("#player-goto", timecode);
  await page.press("#player-goto", "Enter");
  await page.locator(`[data-testid=editor-player][data-frame="${frame}"]`).waitFor({ timeout: 10_000 });
}

/** The drawn rectangle is where the stored one says, within `tolerance` of the picture's size. */
function expectSamePlace(drawn: { x: number; y: number; w: number; h: number }, stored: { x: number; y: number; w: number; h: number }, tolerance: number) {
  for (const key of ["x", "y", "w", "h"] as const) expect(Math.abs(drawn[key] - stored[key]), key).toBeLessThan(tolerance);
}

/** Where the layer's first rectangle sits, as fractions of the layer (and the layer of the video's picture). */
function drawnRect(page: Page) {
  return page.evaluate(() => {
    const layer = document.querySelector("[data-testid=marker-layer]")!.getBoundingClientRect();
    const video = document.querySelector<HTMLVideoElement>("[data-testid=player-video]")!;
    const box = video.getBoundingClientRect();
    const rect = document.querySelector("[data-testid=marker-shape][data-type=rect]")!.getBoundingClientRect();
    return {
      x: (rect.left - layer.left) / layer.width,
      y: (rect.top - layer.top) / layer.height,
      w: rect.width / layer.width,
      h: rect.height / layer.height,
      layerAspect: layer.width / layer.height,
      pictureAspect: video.videoWidth / video.videoHeight,
      inside: layer.left >= box.left - 1 && layer.right <= box.right + 1 && layer.top >= box.top - 1 && layer.bottom <= box.bottom + 1,
    };
  });
}

beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(tmpdir(), "kura-markers-"));
  const made = spawnSync(process.execPath, [path.join(ROOT, "scripts", "make-media-fixtures.mjs"), dir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(made.stderr);
  const tenant = await kura.createTenant({ slug, name: `付箋 ${run}`, adminEmail, password });
  admin = tenant.admin.token;
  projectId = await kura.createProject(admin, `レビュー ${run}`);
  const member = await kura.addUser(admin, slug, { email: memberEmail, password, name: "編集 花子" });
  await kura.grant(admin, projectId, member.id, "member");
  const created = await kura.uploadAsset<{ id: string }>(
    admin,
    projectId,
    "frames_2997df.mp4",
    new Uint8Array(readFileSync(path.join(dir, "frames_2997df.mp4"))),
  );
  assetId = created.id;
  await kura.waitProcessed(admin, assetId, 30_000);
  await waitMediaReady(admin, assetId);
  audioId = (await kura.uploadAsset<{ id: string }>(admin, projectId, "ナレーション_仮.wav", new Uint8Array(readFileSync(path.join(dir, "pcm24_48k.wav"))))).id;
  await kura.waitProcessed(admin, audioId, 30_000);
  await waitMediaReady(admin, audioId);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("markers on the player", () => {
  it("a rectangle drawn on a range marker is at the same place and frame after a reload", { timeout: 120_000 }, async () => {
    const { context, page, problems } = await signIn("ja-JP", 1440);
    await openPlayer(page);
    // In at 00:00:59;00 (frame 30 of a clip starting at 00:00:58;00), Out at 00:00:59;10 (frame 40).
    await goTo(page, "00:00:59;00", 30);
    await page.getByTestId("player-in").click();
    await goTo(page, "00:00:59;10", 40);
    await page.getByTestId("player-out").click();
    await goTo(page, "00:00:59;05", 35);

    await page.getByTestId("marker-tool-rect").click();
    // Choosing a tool brings the picture into view (the form is under the player).
    await expect.poll(async () => (await page.getByTestId("marker-layer").boundingBox())!.y).toBeGreaterThan(-2);
    const layer = (await page.getByTestId("marker-layer").boundingBox())!;
    await page.mouse.move(layer.x + layer.width * 0.25, layer.y + layer.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(layer.x + layer.width * 0.45, layer.y + layer.height * 0.5, { steps: 4 });
    await page.mouse.move(layer.x + layer.width * 0.6, layer.y + layer.height * 0.7, { steps: 4 });
    await page.mouse.up();
    await page.getByTestId("marker-clear-drawing").waitFor(); // one shape drawn
    await page.getByTestId("marker-text").fill("ロゴの位置を右へ");
    await page.getByTestId("marker-color-red").check();
    await expect.poll(() => page.getByTestId("marker-add").textContent()).toContain("00:00:59;00");
    await page.getByTestId("marker-add").click();
    await page.getByTestId("marker-item").waitFor();

    const stored = await kura.must<{ items: Marker[] }>(200, `/assets/${assetId}/markers`, { token: admin });
    expect(stored.items).toHaveLength(1);
    const marker = stored.items[0]!;
    expect(marker).toMatchObject({ startFrame: 30, endFrame: 40, text: "ロゴの位置を右へ" });
    const rect = marker.shapes!.items[0]!;
    expect(rect.type).toBe("rect");
    expectSamePlace(rect, { x: 0.25, y: 0.25, w: 0.35, h: 0.45 }, 0.01);

    await page.reload();
    await openPlayer(page);
    await expect(page.getByTestId("marker-item-text").textContent()).resolves.toBe("ロゴの位置を右へ");
    // Outside the marker's range nothing is drawn.
    expect(await page.getByTestId("marker-shape").count()).toBe(0);
    await page.getByTestId("marker-seek").click();
    await page.locator(`[data-testid=editor-player][data-frame="30"]`).waitFor({ timeout: 10_000 });
    expect(await shownFrameNumber(page)).toBe(30);
    expect(await page.getByTestId("player-timecode").textContent()).toBe("00:00:59;00");
    await page.getByTestId("marker-shape").waitFor();
    const drawn = await drawnRect(page);
    expect(drawn.inside).toBe(true);
    expect(Math.abs(drawn.layerAspect - drawn.pictureAspect)).toBeLessThan(0.02);
    expectSamePlace(drawn, rect, 0.01);
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, "markers-ja-1440-shape.png") });
    // Past the range's last frame the rectangle is gone.
    await goTo(page, "00:00:59;11", 41);
    expect(await page.getByTestId("marker-shape").count()).toBe(0);
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, "markers-ja-1440.png"), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("on a 390 px phone in English the same rectangle lands on the same place of the smaller picture", { timeout: 60_000 }, async () => {
    const { context, page, problems } = await signIn("en-GB", 390);
    await openPlayer(page);
    const stored = await kura.must<{ items: Marker[] }>(200, `/assets/${assetId}/markers`, { token: admin });
    const rect = stored.items[0]!.shapes!.items[0]!;
    await page.getByTestId("marker-seek").click();
    await page.locator(`[data-testid=editor-player][data-frame="30"]`).waitFor({ timeout: 10_000 });
    await page.getByTestId("marker-shape").waitFor();
    const drawn = await drawnRect(page);
    expect(drawn.inside).toBe(true);
    expectSamePlace(drawn, rect, 0.02);
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, "markers-en-390.png"), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("markers show as ticks on the timeline, and an audio file takes markers at its position", { timeout: 90_000 }, async () => {
    const { context, page, problems } = await signIn("en-GB", 1440);
    await openPlayer(page);
    // The range marker of the first test: a span from frame 30 on the timeline.
    await page.locator("[data-testid=timeline-tick][data-frame='30']").waitFor();

    await page.goto(`/projects/${projectId}/assets/${audioId}`);
    await page.getByTestId("audio-player").waitFor({ timeout: 30_000 });
    await waitHydrated(page);
    // One second in: frame 30 at the 30 fps audio files count markers at.
    await page
      .getByTestId("player-audio")
      .evaluate((a: HTMLAudioElement) => new Promise((r) => ((a.currentTime = 1.0), a.addEventListener("seeked", r, { once: true }))));
    await page.locator("[data-testid=audio-player][data-frame='30']").waitFor();
    expect(await page.getByTestId("marker-tool-rect").count()).toBe(0); // nothing to draw on
    await page.getByTestId("marker-text").fill("Breath at one second");
    await page.getByTestId("marker-add").click();
    await page.getByTestId("marker-item").waitFor();
    const stored = await kura.must<{ items: Marker[] }>(200, `/assets/${audioId}/markers`, { token: admin });
    expect(stored.items.map((m) => [m.startFrame, m.text])).toEqual([[30, "Breath at one second"]]);
    await page.getByTestId("timeline-tick").waitFor();
    // A click on the marker goes back to its frame.
    await page.getByTestId("player-audio").evaluate((a: HTMLAudioElement) => (a.currentTime = 0));
    await page.getByTestId("marker-seek").click();
    await page.locator("[data-testid=audio-player][data-frame='30']").waitFor();
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS, "markers-audio-en-1440.png"), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
