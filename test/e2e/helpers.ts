import { readFileSync } from "node:fs";
import path from "node:path";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { kuraClient } from "../support/kura-client";
import { BASE_URL, strictContext } from "./browser";

/** Helpers shared by the e2e files: the fixture client, sign-in, a folder dragged from the OS, the upload rows. */

export const OPERATOR_TOKEN = process.env.E2E_OPERATOR_TOKEN ?? "";
if (!OPERATOR_TOKEN) throw new Error("E2E_OPERATOR_TOKEN is not set: run the e2e tests with `npm run test:e2e`.");

/**
 * The shared fixture client (test/support/kura-client.ts) against `wrangler dev`: e2e tests build
 * tenants, users, projects and assets through the same public-API calls as the integration tests.
 */
export const kura = kuraClient((url, init) => fetch(url, init), { origin: BASE_URL, operatorToken: OPERATOR_TOKEN });

const STILL = readFileSync(path.resolve(__dirname, "../fixtures/media/e2e_still.jpg"));

/** Uploads the e2e still under each name and waits until each is processed; their ids by name. */
export async function uploadStills(token: string, projectId: string, names: readonly string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of names) {
    const { id } = await kura.uploadAsset<{ id: string }>(token, projectId, name, new Uint8Array(STILL), { type: "image/jpeg" });
    await kura.waitProcessed(token, id, 30_000);
    ids[name] = id;
  }
  return ids;
}

/** Signs in with the login form and lands on the project's browse page, its upload panel ready. */
export async function signInOnProject(context: BrowserContext, opts: { slug: string; email: string; password: string; projectId: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/login?tenant=${opts.slug}&redirectTo=${encodeURIComponent(`/projects/${opts.projectId}`)}`);
  await waitHydrated(page);
  await page.fill("#f-email", opts.email);
  await page.fill("#f-password", opts.password);
  await Promise.all([page.waitForURL(`${BASE_URL}/projects/${opts.projectId}`), page.click("form[data-testid=login-form] button[type=submit]")]);
  await page.locator("[data-testid=upload-panel][data-ready=yes]").waitFor();
  return page;
}

/**
 * A fresh browser context signed in through the login form (in the given locale, Tokyo time and
 * width), with the context's problem list (console errors, failed requests) to assert on.
 */
export async function signedInContext(
  browser: Browser,
  opts: { slug: string; email: string; password: string; locale: "ja-JP" | "en-GB"; width?: number; timezoneId?: string },
) {
  const { context, problems } = await strictContext(browser, {
    locale: opts.locale,
    timezoneId: opts.timezoneId ?? "Asia/Tokyo",
    viewport: { width: opts.width ?? 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`/login?tenant=${opts.slug}`);
  await waitHydrated(page);
  await page.fill("#f-email", opts.email);
  await page.fill("#f-password", opts.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("form[data-testid=login-form] button[type=submit]")]);
  return { context, page, problems };
}

/** The frame number the player's picture carries: its 16-column barcode (scripts/make-media-fixtures.mjs), read from the pixels. */
export function shownFrameNumber(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>("[data-testid=player-video]")!;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext("2d")!;
    g.drawImage(video, 0, 0);
    const y = Math.floor(canvas.height / 4);
    let n = 0;
    for (let bit = 0; bit < 16; bit++) {
      const x = Math.floor(((bit + 0.5) * canvas.width) / 16);
      const [r, gr, b] = g.getImageData(x, y, 1, 1).data;
      n = n * 2 + ((r! + gr! + b!) / 3 > 128 ? 1 : 0);
    }
    return n;
  });
}

/** Remix has hydrated the page (its router is on window). */
export async function waitHydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

/** A real drag from the file system onto the upload drop zone: CDP drag events carrying the paths (folders too). */
export async function dropPaths(context: BrowserContext, page: Page, paths: string[]) {
  const zone = await page.getByTestId("upload-drop").boundingBox();
  if (!zone) throw new Error("the upload drop zone is not visible");
  const x = zone.x + zone.width / 2;
  const y = zone.y + zone.height / 2;
  const cdp = await context.newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  await cdp.send("Input.dispatchDragEvent", { type: "dragEnter", x, y, data });
  await cdp.send("Input.dispatchDragEvent", { type: "dragOver", x, y, data });
  await cdp.send("Input.dispatchDragEvent", { type: "drop", x, y, data });
}

/** Waits (bounded) until there are `count` upload rows, all done. */
export async function waitAllUploadsDone(page: Page, count: number) {
  await expect
    .poll(async () => page.locator("[data-testid=upload-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state"))), { timeout: 30_000 })
    .toEqual(Array.from({ length: count }, () => "done"));
}

/** Upload rows by relative path → state. */
export async function uploadRows(page: Page): Promise<Record<string, string>> {
  const list = await page
    .locator("[data-testid=upload-row]")
    .evaluateAll((els) => els.map((r) => [r.getAttribute("data-path") ?? "", r.getAttribute("data-state") ?? ""] as const));
  return Object.fromEntries(list);
}

/** Names of the upload rows whose thumbnail actually decoded (naturalWidth > 0). */
export async function loadedUploadThumbnails(page: Page): Promise<string[]> {
  return page.locator("[data-testid=upload-row]").evaluateAll((els) =>
    els
      .filter((r) => {
        const img = r.querySelector<HTMLImageElement>("img[data-testid=upload-thumbnail]");
        return img !== null && img.complete && img.naturalWidth > 0;
      })
      .map((r) => r.getAttribute("data-name") ?? ""),
  );
}

const totpStep = () => Math.floor(Date.now() / 30_000);

/** A real TOTP code from the secret shown on the page; never reuses a step (replays are refused). */
export async function totpCode(secret: string, usedSteps: Set<number>): Promise<string> {
  while (usedSteps.has(totpStep())) await new Promise((r) => setTimeout(r, 500));
  // Not in the last second of a step, so the server sees the same step.
  while (Date.now() % 30_000 > 29_000) await new Promise((r) => setTimeout(r, 200));
  usedSteps.add(totpStep());
  return generateTOTP(decodeBase32IgnorePadding(secret), 30, 6);
}

/** Waits until the asset's transcoder job has made its proxy (the transcoder behind wrangler dev). */
export async function waitMediaReady(token: string, assetId: string, timeoutMs = 90_000) {
  const started = Date.now();
  for (;;) {
    const media = await kura.must<{ status: string }>(200, `/assets/${assetId}/media`, { token });
    if (media.status === "ready") return;
    if (media.status === "failed" || Date.now() - started > timeoutMs) throw new Error(`media ${media.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
