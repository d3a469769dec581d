import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";
import { kura, dropPaths, loadedUploadThumbnails, signInOnProject, uploadRows, waitAllUploadsDone, waitHydrated } from "./helpers";

/**
 * The Assets story in Chromium, with the Japanese UI, end to end as a user
 * lives it: drag a folder from the file system, watch the progress bars,
 * find the folder and the video's thumbnail, read its technical metadata,
 * edit metadata and tags, find it again with Japanese searches, download it.
 * What the UI did is cross-checked through the API.
 */

const FIXTURES = path.resolve(__dirname, "../fixtures/media");
const SHOTS = process.env.E2E_SCREENSHOTS ?? path.join(tmpdir(), "kura-e2e-shots");
const run = Date.now().toString(36);
const slug = `story-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Lanterns drift over the Sumida at dusk 42";

const FOLDER = "Day1 渋谷";
const VIDEO = "渋谷ロケ_A001.mp4"; // a copy of h264_1080p_2997_moov_end.mp4
const STILL = "渋谷_夜_still.jpg"; // shares "渋谷" and "夜" with the video's name and tag, on purpose
const ROOT_NOTE = "渋谷ロケ_B002.txt"; // at the project root: outside the folder's search scope
const SCENE = "スクランブル交差点";
const TAG = "夜景";

type Asset = {
  id: string;
  name: string;
  folderId: string | null;
  status: "processing" | "ready" | "failed";
  sha256: string | null;
  hasThumbnail: boolean;
  tags: string[];
  metadata: Record<string, unknown>;
  technical: Record<string, unknown>;
};

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

let browser: Browser;
let token = "";
let base = "";

beforeAll(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
  token = (await kura.createTenant({ slug, name: `ストーリー ${run}`, adminEmail, password })).admin.token;
  base = mkdtempSync(path.join(tmpdir(), "kura-story-"));
});

afterAll(async () => {
  await browser?.close();
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Names of the assets the browse page lists right now. */
function listedNames(page: Page): Promise<string[]> {
  return page.locator("[data-testid=asset-item]").evaluateAll((els) => els.map((e) => e.getAttribute("data-name") ?? "").sort());
}

/** Types a search into the page's search box and submits it with Enter; waits for the navigation and the new listing. */
async function search(page: Page, q: string) {
  const input = page.getByTestId("search-q");
  await input.fill(q);
  await Promise.all([page.waitForURL((url) => url.searchParams.get("q") === q), input.press("Enter")]);
  // The URL can change a moment before React renders the new loader data; the query's own
  // filter chip is rendered from that data, in the same commit as the list.
  await page.locator("[data-testid=active-filters] a.chip", { hasText: `「${q}」` }).waitFor();
  await page.locator("[data-testid=asset-browser], [data-testid=assets-none]").first().waitFor();
}

describe("Assets story in Chromium (Japanese UI)", () => {
  it(
    "drop a folder with a video → progress → thumbnail → technical metadata → edit metadata and tag → Japanese search → download",
    { timeout: 180_000 },
    async () => {
      // 1. API: a project, a text metadata field, and an unrelated file at the project root.
      const project = await kura.api<{ id: string }>("/projects", { json: { name: `渋谷ロケ ${run}` }, token });
      expect(project.status).toBe(201);
      const projectId = project.body.id;
      const field = await kura.api("/metadata-fields", { json: { key: "scene", label: "シーン", type: "text" }, token });
      expect(field.status).toBe(201);
      await kura.uploadAsset(token, projectId, ROOT_NOTE, "撮影メモ\n", { type: "text/plain" });

      // The folder on disk, as a camera card would be copied.
      const dir = path.join(base, FOLDER);
      mkdirSync(dir);
      copyFileSync(path.join(FIXTURES, "h264_1080p_2997_moov_end.mp4"), path.join(dir, VIDEO));
      copyFileSync(path.join(FIXTURES, "e2e_still.jpg"), path.join(dir, STILL));
      const videoBytes = readFileSync(path.join(dir, VIDEO));

      // 2. Browser: sign in, drop the folder, watch the rows and the total bar.
      const { context, problems } = await strictContext(browser, { locale: "ja-JP", viewport: { width: 1400, height: 1000 } });
      const page = await signInOnProject(context, { slug, email: adminEmail, password, projectId });
      expect(await page.getByTestId("upload-choose-folder").textContent()).toBe("フォルダーを選択"); // the Japanese UI
      await dropPaths(context, page, [dir]);
      await page.locator("[data-testid=upload-row]").first().waitFor({ timeout: 10_000 });
      expect(await page.getByTestId("upload-progress").count()).toBe(2); // a bar per file
      await waitAllUploadsDone(page, 2);
      expect(await uploadRows(page)).toEqual({ [`${FOLDER}/${VIDEO}`]: "done", [`${FOLDER}/${STILL}`]: "done" });
      expect(await page.getByTestId("upload-progress").evaluateAll((bars) => bars.map((b) => (b as HTMLProgressElement).value))).toEqual([100, 100]);
      expect(await page.getByTestId("upload-total-bar").evaluate((b) => (b as HTMLProgressElement).value)).toBe(100);
      expect(await page.getByTestId("upload-total-text").textContent()).toMatch(/（100%）$/);
      await expect.poll(() => loadedUploadThumbnails(page), { timeout: 15_000 }).toEqual([VIDEO, STILL].sort());
      await page.getByTestId("upload-panel").screenshot({ path: path.join(SHOTS, "story-1-upload-done.png") });

      // 3. The folder shows up in the browse view (the page revalidates after the upload); open it.
      const folderLink = page.locator(`[data-testid=folder-item][data-name="${FOLDER}"] a.folder-link`);
      await folderLink.waitFor({ timeout: 10_000 });
      await Promise.all([page.waitForURL((url) => url.searchParams.has("folder")), folderLink.click()]);
      const folderId = new URL(page.url()).searchParams.get("folder")!;
      await expect.poll(() => listedNames(page), { timeout: 10_000 }).toEqual([VIDEO, STILL].sort());
      const videoTile = page.locator(`[data-testid=asset-item][data-name="${VIDEO}"]`);
      // The tile shows the thumbnail the browser made, and it decoded.
      await expect
        .poll(
          () =>
            videoTile
              .locator(".tile-media img")
              .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)),
          {
            timeout: 10_000,
          },
        )
        .toEqual([true]);
      expect(await videoTile.locator(".thumb-placeholder").count()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, "story-2-folder-grid.png"), fullPage: true });

      // The API agrees: both files in the dropped folder, the video with a thumbnail.
      const listed = await kura.api<{ items: Asset[] }>(`/projects/${projectId}/assets?folderId=${folderId}&limit=50`, { token });
      expect(listed.status).toBe(200);
      const video = listed.body.items.find((a) => a.name === VIDEO);
      expect(video).toMatchObject({ folderId, hasThumbnail: true });
      expect(listed.body.items.map((a) => a.name).sort()).toEqual([VIDEO, STILL].sort());

      // 4. The asset page: wait (bounded) for processing, then read the technical metadata.
      await Promise.all([page.waitForURL(`${BASE_URL}/projects/${projectId}/assets/${video!.id}`), videoTile.locator("a.tile-name").click()]);
      const status = () => page.getByTestId("asset-title").getAttribute("data-status");
      await expect
        .poll(
          async () => {
            if ((await status()) === "processing") await page.reload();
            return status();
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe("ready");
      await waitHydrated(page);
      expect(await page.getByTestId("asset-name").textContent()).toBe(VIDEO);
      const tech = async (key: string) => (await page.locator(`[data-testid=technical] [data-field="${key}"] dd`).textContent())?.trim();
      expect(await tech("asset.resolution")).toBe("1920×1080");
      expect(await tech("asset.frameRate")).toBe("29.97 fps");
      expect(await tech("asset.videoCodec")).toBe("h264");
      expect(await tech("asset.container")).toBe("mp4");
      expect(await tech("asset.duration")).toBe("0:01.0");
      expect(await tech("asset.audioCodec")).toBe("aac");
      expect(await tech("asset.channels")).toBe("2");
      expect(await tech("asset.sampleRate")).toBe("48 kHz");
      expect(await page.locator("#tech-heading").textContent()).toBe("技術メタデータ");
      expect(await page.getByTestId("sha256").textContent()).toBe(sha256(videoBytes));
      // Once the transcoder has made the preview (the page follows the job), the player streams the
      // proxy, never the original, with the server's poster.
      await page.getByTestId("editor-player").waitFor({ timeout: 60_000 });
      expect(await page.getByTestId("player-video").getAttribute("src")).toBe(`/web/v1/assets/${video!.id}/stream`);
      expect(await page.getByTestId("player-video").getAttribute("poster")).toBe(`/web/v1/assets/${video!.id}/derived/poster`);
      await page.screenshot({ path: path.join(SHOTS, "story-3-asset-technical.png"), fullPage: true });

      // 5. Edit metadata, save, reload: it stays. Then a tag.
      await page.getByTestId("input-scene").fill(SCENE);
      await page.locator("[data-testid=metadata-form] button[type=submit]").click();
      await page.getByTestId("metadata-notice").waitFor();
      await page.reload();
      await waitHydrated(page);
      expect(await page.getByTestId("input-scene").inputValue()).toBe(SCENE);
      await page.fill("#new-tag", TAG);
      await page.locator("form:has(#new-tag) button[type=submit]").click();
      await page.locator(`[data-testid=asset-tags] li[data-tag="${TAG}"]`).waitFor();
      expect(await page.locator("[data-testid=asset-tags] li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-tag")))).toEqual([TAG]);
      const saved = await kura.api<Asset>(`/assets/${video!.id}`, { token });
      expect(saved.status).toBe(200);
      expect(saved.body.metadata).toEqual({ scene: SCENE });
      expect(saved.body.tags).toEqual([TAG]);
      await page.screenshot({ path: path.join(SHOTS, "story-4-asset-edited.png"), fullPage: true });

      // 6. Back to the folder; search in Japanese with the page's search box.
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get("folder") === folderId),
        page.locator(`nav.folder-crumbs a:text-is("${FOLDER}")`).click(),
      ]);
      await waitHydrated(page);
      // A 4-character substring of the name (trigram index): in this folder only the video, not the still that shares "渋谷".
      await search(page, "渋谷ロケ");
      expect(await listedNames(page)).toEqual([VIDEO]);
      // The same words across the whole project also find the note at the root.
      await Promise.all([page.waitForURL((url) => url.searchParams.get("scope") === "project"), page.locator("#search-scope").selectOption("project")]);
      await expect.poll(() => listedNames(page), { timeout: 10_000 }).toEqual([VIDEO, ROOT_NOTE].sort());
      // The 2-character tag (the short-term path): the video, not the still whose name has "夜".
      await search(page, TAG);
      expect(new URL(page.url()).searchParams.get("scope")).toBe("project");
      expect(await listedNames(page)).toEqual([VIDEO]);
      expect(await page.locator("[data-testid=active-filters] a.chip").allTextContents()).toEqual([`「${TAG}」 ×`, "プロジェクト全体 ×", "絞り込みを解除"]);
      await page.screenshot({ path: path.join(SHOTS, "story-5-search-tag.png"), fullPage: true });
      // Text metadata, by a substring.
      await search(page, "スクランブル");
      expect(await listedNames(page)).toEqual([VIDEO]);
      await page.screenshot({ path: path.join(SHOTS, "story-6-search-metadata.png"), fullPage: true });
      // A word nobody used: nothing, and the page says so.
      await search(page, "新宿");
      expect(await listedNames(page)).toEqual([]);
      expect(await page.getByTestId("assets-none").textContent()).toBe("条件に一致するアセットはありません。");

      // 7. Download the original from the asset page: same bytes, the Japanese name.
      await page.goto(`/projects/${projectId}/assets/${video!.id}`);
      await waitHydrated(page);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-original").click()]);
      expect(download.suggestedFilename()).toBe(VIDEO);
      const saveAs = path.join(base, "downloaded.mp4");
      await download.saveAs(saveAs);
      expect(await download.failure()).toBeNull();
      expect(sha256(readFileSync(saveAs))).toBe(sha256(videoBytes));

      expect(problems).toEqual([]);
      await context.close();
    },
  );
});
