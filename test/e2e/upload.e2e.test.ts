import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";
import { kura, dropPaths, loadedUploadThumbnails as loadedThumbnails, signInOnProject, uploadRows as rows, waitAllUploadsDone as waitAllDone } from "./helpers";

/**
 * The upload panel in Chromium: a dropped or chosen FOLDER is recreated as
 * Kura folders, every file gets a progress row, and images and videos get a
 * thumbnail made in the browser. What the UI did is checked through the API.
 */

const FIXTURES = path.resolve(__dirname, "../fixtures/media");
const SHOTS = process.env.E2E_SCREENSHOTS ?? path.join(tmpdir(), "kura-e2e-shots");
const run = Date.now().toString(36);
const slug = `up-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Copper kettles hum beneath the winter moon 8";
const ROOT_FOLDER = "E2E ロケ";

type Folder = { id: string; name: string; parentId: string | null };
type Asset = { id: string; name: string; folderId: string | null; hasThumbnail: boolean; size: number };

async function folders(token: string, projectId: string, parentId?: string): Promise<Folder[]> {
  const q = parentId ? `?parentId=${parentId}` : "";
  const res = await kura.api<{ items: Folder[] }>(`/projects/${projectId}/folders${q}`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

async function assets(token: string, projectId: string): Promise<Asset[]> {
  const res = await kura.api<{ items: Asset[] }>(`/projects/${projectId}/assets?limit=200`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The folder tree used by the tests: a clip at the top, a still one level down. */
function makeTree(extra?: { name: string; bytes: number }): string {
  const base = mkdtempSync(path.join(tmpdir(), "kura-upload-"));
  const root = path.join(base, ROOT_FOLDER);
  mkdirSync(path.join(root, "stills"), { recursive: true });
  copyFileSync(path.join(FIXTURES, "e2e_clip.mp4"), path.join(root, "e2e_clip.mp4"));
  copyFileSync(path.join(FIXTURES, "e2e_still.jpg"), path.join(root, "stills", "e2e_still.jpg"));
  if (extra) {
    const bytes = Buffer.alloc(extra.bytes);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i / 4096) & 0xff;
    writeFileSync(path.join(root, extra.name), bytes);
  }
  return root;
}

let browser: Browser;
let token = "";
const cleanup: string[] = [];

beforeAll(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
  token = (await kura.createTenant({ slug, name: `Upload ${run}`, adminEmail, password })).admin.token;
});

afterAll(async () => {
  await browser?.close();
  for (const dir of cleanup) rmSync(path.dirname(dir), { recursive: true, force: true });
});

async function newProject(name: string): Promise<string> {
  const res = await kura.api<{ id: string }>("/projects", { json: { name }, token });
  expect(res.status).toBe(201);
  return res.body.id;
}

function signedInOnProject(context: BrowserContext, projectId: string) {
  return signInOnProject(context, { slug, email: adminEmail, password, projectId });
}

/** The tree the UI made, as seen by the API: root folder → "stills", each file in its folder, with thumbnails. */
async function expectTreeInKura(projectId: string, extraNames: string[] = []) {
  const top = await folders(token, projectId);
  expect(top.map((f) => f.name)).toEqual([ROOT_FOLDER]);
  const root = top[0]!;
  const children = await folders(token, projectId, root.id);
  expect(children.map((f) => f.name)).toEqual(["stills"]);
  const all = await assets(token, projectId);
  const byName = Object.fromEntries(all.map((a) => [a.name, a]));
  expect(Object.keys(byName).sort()).toEqual(["e2e_clip.mp4", "e2e_still.jpg", ...extraNames].sort());
  expect(byName["e2e_clip.mp4"]).toMatchObject({ folderId: root.id, hasThumbnail: true });
  expect(byName["e2e_still.jpg"]).toMatchObject({ folderId: children[0]!.id, hasThumbnail: true });
  for (const a of [byName["e2e_clip.mp4"]!, byName["e2e_still.jpg"]!]) {
    const thumb = await fetch(`${BASE_URL}/api/v1/assets/${a.id}/thumbnail`, { headers: { Authorization: `Bearer ${token}` } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("Content-Type")).toBe("image/jpeg");
  }
}

describe("upload panel in Chromium", () => {
  it("a folder dragged from the file system keeps its tree, shows progress rows and thumbnails", { timeout: 120_000 }, async () => {
    const projectId = await newProject(`Drop ${run}`);
    const dir = makeTree();
    cleanup.push(dir);
    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await signedInOnProject(context, projectId);

    // A real drag from the OS: CDP drag events carrying the folder's path.
    await dropPaths(context, page, [dir]);

    await page.locator("[data-testid=upload-row]").first().waitFor({ timeout: 10_000 });
    await waitAllDone(page, 2);
    expect(await rows(page)).toEqual({ [`${ROOT_FOLDER}/e2e_clip.mp4`]: "done", [`${ROOT_FOLDER}/stills/e2e_still.jpg`]: "done" });
    expect(await page.locator("[data-testid=upload-progress]").count()).toBe(2);
    await expect.poll(() => loadedThumbnails(page)).toEqual(["e2e_clip.mp4", "e2e_still.jpg"]);
    expect(await page.getByTestId("upload-total-text").textContent()).toContain("(100%)");
    await page.screenshot({ path: path.join(SHOTS, "upload-dropped-folder-done.png"), fullPage: true });

    await expectTreeInKura(projectId);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a folder chosen with the folder picker (webkitdirectory) keeps its tree; progress is visible mid-upload", { timeout: 120_000 }, async () => {
    const projectId = await newProject(`Picker ${run}`);
    // 9 MiB: over the one-request threshold, so it goes as a multipart upload.
    const dir = makeTree({ name: "raw_take.bin", bytes: 9 * 1024 * 1024 });
    cleanup.push(dir);
    const { context, problems } = await strictContext(browser, { locale: "ja-JP" });
    const page = await signedInOnProject(context, projectId);

    // Slow the uplink so that the progress can be seen (and photographed) mid-way.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1.5 * 1024 * 1024 });

    await page.getByTestId("upload-input-folder").setInputFiles(dir);
    await page.locator("[data-testid=upload-row]").first().waitFor();
    // Mid-upload: the big file between 1 % and 99 %.
    const big = page.locator(`[data-testid=upload-row][data-name="raw_take.bin"]`);
    await expect
      .poll(async () => Number((await big.getByTestId("upload-progress").getAttribute("value")) ?? 0), { timeout: 30_000, interval: 100 })
      .toBeGreaterThan(5);
    expect(await big.getAttribute("data-state")).toBe("uploading");
    const midValue = Number(await big.getByTestId("upload-progress").getAttribute("value"));
    expect(midValue).toBeLessThan(100);
    await page.getByTestId("upload-panel").screenshot({ path: path.join(SHOTS, "upload-panel-mid-upload.png") });
    expect(await page.getByTestId("upload-total-text").textContent()).toMatch(/中/); // Japanese UI
    expect(await page.getByTestId("upload-cancel-all").textContent()).toBe("すべてキャンセル");

    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await waitAllDone(page, 3);
    expect(await rows(page)).toEqual({
      [`${ROOT_FOLDER}/e2e_clip.mp4`]: "done",
      [`${ROOT_FOLDER}/raw_take.bin`]: "done",
      [`${ROOT_FOLDER}/stills/e2e_still.jpg`]: "done",
    });
    await expect.poll(() => loadedThumbnails(page)).toEqual(["e2e_clip.mp4", "e2e_still.jpg"]);
    await page.getByTestId("upload-panel").screenshot({ path: path.join(SHOTS, "upload-panel-done-ja.png") });

    await expectTreeInKura(projectId, ["raw_take.bin"]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("an upload cut off by a page reload is offered for resume and sends only the missing parts", { timeout: 120_000 }, async () => {
    const projectId = await newProject(`Resume ${run}`);
    const base = mkdtempSync(path.join(tmpdir(), "kura-resume-"));
    cleanup.push(path.join(base, "x"));
    const file = path.join(base, "long_take.bin");
    // Two parts of the panel's 16 MiB.
    const bytes = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 512) bytes[i] = (i / 512) & 0xff;
    writeFileSync(file, bytes);
    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await signedInOnProject(context, projectId);
    page.on("dialog", (d) => void d.accept()); // "leave the page?" while uploading
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 3 * 1024 * 1024 });

    await page.getByTestId("upload-input-files").setInputFiles(file);
    // The engine remembers the upload in localStorage…
    const uploadId = await expect
      .poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem("kura.uploads.v1") ?? "[]") as { uploadId: string }[])[0]?.uploadId ?? ""))
      .not.toBe("")
      .then(() => page.evaluate(() => (JSON.parse(localStorage.getItem("kura.uploads.v1") ?? "[]") as { uploadId: string }[])[0]!.uploadId));
    // …and once one part has arrived, the page is reloaded mid-upload.
    const received = async () => (await kura.api<{ receivedParts: number[] }>(`/uploads/${uploadId}`, { token })).body.receivedParts;
    await expect.poll(received, { timeout: 30_000, interval: 100 }).not.toEqual([]);
    await page.reload();
    await page.locator("[data-testid=upload-panel][data-ready=yes]").waitFor();
    const before = await received();
    expect(before.length).toBe(1); // the other part was cut off

    // The resume hint names the file; choosing it again continues the upload.
    await page.getByTestId("upload-resume-hint").waitFor();
    expect(await page.getByTestId("upload-resume-item").getAttribute("data-upload-id")).toBe(uploadId);
    await page.getByTestId("upload-resume-hint").screenshot({ path: path.join(SHOTS, "upload-resume-hint.png") });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const partsSent: number[] = [];
    page.on("request", (r) => {
      const m = /\/web\/v1\/uploads\/[^/]+\/parts\/(\d+)$/.exec(new URL(r.url()).pathname);
      if (m && r.method() === "PUT") partsSent.push(Number(m[1]));
    });
    await page.getByTestId("upload-input-files").setInputFiles(file);
    await waitAllDone(page, 1);
    expect(await page.getByTestId("upload-row").textContent()).toContain("resumed");
    expect(partsSent).toEqual([1, 2].filter((n) => !before.includes(n)));
    expect(await page.getByTestId("upload-resume-hint").count()).toBe(0);
    const all = await assets(token, projectId);
    expect(all.map((a) => [a.name, a.size])).toEqual([["long_take.bin", bytes.length]]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
