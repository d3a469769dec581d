import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kuraClient } from "../support/kura-client";

/**
 * The media pipeline end to end (issue #13, ADR 0030): uploads through the public API to
 * `wrangler dev` (real local D1, R2, queue), the real transcoder process with Debian's ffmpeg,
 * and back. Each file gets its derived objects, checked with ffprobe, or a clear failed state.
 */

const BASE_URL = process.env.E2E_BASE_URL ?? "";
const OPERATOR_TOKEN = process.env.E2E_OPERATOR_TOKEN ?? "";
if (!BASE_URL || !OPERATOR_TOKEN) throw new Error("run the pipeline tests with `npm run test:e2e` (it starts wrangler dev and the transcoder)");

const ROOT = path.resolve(__dirname, "../..");
const kura = kuraClient((url, init) => fetch(url, init), { origin: BASE_URL, operatorToken: OPERATOR_TOKEN });
const PASSWORD = "pipeline-password-1234";

type Media = {
  status: string;
  errorCode: string | null;
  proxy: {
    url: string;
    contentType: string;
    size: number;
    width: number;
    height: number;
    frames: number | null;
    rate: { num: number; den: number } | null;
  } | null;
  poster: { url: string } | null;
  filmstrip: { url: string; tiles: number; columns: number; rows: number; tileWidth: number; tileHeight: number } | null;
  waveform: { url: string } | null;
  preview: { url: string; width: number; height: number } | null;
};

let dir: string;
let admin: string;
let viewer: string;
let watchOnly: string;
let proxyOnly: string;
let projectId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "kura-pipeline-"));
  const made = spawnSync(process.execPath, [path.join(ROOT, "scripts", "make-media-fixtures.mjs"), dir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`make-media-fixtures failed: ${made.stderr}`);
  const tenant = await kura.createTenant({ slug: `pipe${Date.now().toString(36)}`, password: PASSWORD });
  admin = tenant.admin.token;
  projectId = await kura.createProject(admin, "Pipeline 渋谷");
  const users = await Promise.all(
    ["viewer", "watch", "proxy"].map((n) => kura.addUser(admin, tenant.slug, { email: `${n}@${tenant.slug}.example`, password: PASSWORD })),
  );
  const watchRole = await kura.must<{ id: string }>(201, "/roles", { token: admin, json: { name: "Watch only", permissions: ["asset.view"] } });
  const proxyRole = await kura.must<{ id: string }>(201, "/roles", {
    token: admin,
    json: { name: "Proxy only", permissions: ["asset.view", "asset.download_proxy"] },
  });
  await kura.grant(admin, projectId, users[0]!.id, "viewer");
  await kura.grant(admin, projectId, users[1]!.id, watchRole.id);
  await kura.grant(admin, projectId, users[2]!.id, proxyRole.id);
  [viewer, watchOnly, proxyOnly] = users.map((u) => u.token) as [string, string, string];
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitMedia(assetId: string, timeoutMs = 90_000): Promise<Media> {
  const started = Date.now();
  for (;;) {
    const media = await kura.must<Media>(200, `/assets/${assetId}/media`, { token: admin });
    if (media.status === "ready" || media.status === "failed") return media;
    if (Date.now() - started > timeoutMs) throw new Error(`media of ${assetId} still ${media.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function uploadAndWait(file: string, name = path.basename(file)) {
  const asset = await kura.uploadAsset<{ id: string; size: number }>(admin, projectId, name, new Uint8Array(readFileSync(file)));
  await kura.waitProcessed(admin, asset.id, 30_000);
  return { asset, media: await waitMedia(asset.id) };
}

async function download(url: string, token: string, name: string): Promise<string> {
  const res = await kura.call(url, { token });
  expect(res.status, `${url}`).toBe(200);
  const file = path.join(dir, name);
  writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
  return file;
}

function probe(file: string) {
  const out = execFileSync("ffprobe", ["-v", "error", "-count_packets", "-show_streams", "-show_format", "-of", "json", file], { encoding: "utf8" });
  return JSON.parse(out) as { streams: Record<string, string | number>[]; format: Record<string, string> };
}

/** Seconds between keyframes of the first video stream, at most. */
function longestKeyframeGap(file: string): number {
  const out = execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", file], {
    encoding: "utf8",
  });
  const keys = out
    .trim()
    .split("\n")
    .filter((l) => l.split(",")[1]?.startsWith("K"))
    .map((l) => Number(l.split(",")[0]));
  return keys.slice(1).reduce((gap, t, i) => Math.max(gap, t - keys[i]!), 0);
}

/** The peak level (dBFS) ffmpeg measures on the mono 8 kHz mix the waveform is made from. */
function peakDb(file: string): number {
  const run = spawnSync(
    "ffmpeg",
    ["-hide_banner", "-nostats", "-i", file, "-ac", "1", "-ar", "8000", "-af", "astats=measure_overall=Peak_level:measure_perchannel=0", "-f", "null", "-"],
    {
      encoding: "utf8",
    },
  );
  return Number(/Peak level dB: (-?[\d.]+)/.exec(run.stderr)?.[1]);
}

/** Top-level MP4 boxes in order (faststart puts moov before mdat). */
function boxes(file: string): string[] {
  const bytes = readFileSync(file);
  const names: string[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at);
    names.push(bytes.toString("latin1", at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return names;
}

const VIDEOS = [
  { file: "prores422_2997df.mov", rate: "30000/1001", frames: 60, codec: "prores", timecode: "00:59:59;00", audio: true },
  { file: "dnxhr_lb.mxf", rate: "25/1", frames: 25, codec: "dnxhd", timecode: "00:00:00:00", audio: true },
  { file: "h264_23976.mov", rate: "24000/1001", frames: 48, codec: "h264", timecode: null, audio: false },
  { file: "hevc_25.mp4", rate: "25/1", frames: 25, codec: "hevc", timecode: null, audio: false },
];

describe("media pipeline with the real transcoder", () => {
  it.each(VIDEOS)("$file: an H.264 proxy, CFR at $rate with every frame, keyframes each second, faststart; poster and filmstrip", async (v) => {
    const { asset, media } = await uploadAndWait(path.join(dir, v.file));
    expect(media, JSON.stringify(media)).toMatchObject({ status: "ready", errorCode: null });
    const proxyFile = await download(`/api/v1/assets/${asset.id}/proxy`, admin, `${v.file}.proxy.mp4`);
    const probed = probe(proxyFile);
    const video = probed.streams.find((s) => s.codec_type === "video")!;
    expect(video).toMatchObject({ codec_name: "h264", r_frame_rate: v.rate, avg_frame_rate: v.rate, pix_fmt: "yuv420p" });
    expect(Number(video.nb_read_packets)).toBe(v.frames);
    expect(probed.streams.some((s) => s.codec_type === "audio" && s.codec_name === "aac")).toBe(v.audio);
    expect(longestKeyframeGap(proxyFile)).toBeLessThanOrEqual(1.001);
    const order = boxes(proxyFile);
    expect(order.indexOf("moov")).toBeLessThan(order.indexOf("mdat"));
    expect(media.proxy).toMatchObject({ frames: v.frames, width: 640, height: 360 });
    expect(`${media.proxy!.rate!.num}/${media.proxy!.rate!.den}`).toBe(v.rate);

    const poster = probe(await download(media.poster!.url, admin, `${v.file}.poster.jpg`)).streams[0]!;
    expect(poster).toMatchObject({ codec_name: "mjpeg", width: 640, height: 360 });
    const strip = probe(await download(media.filmstrip!.url, admin, `${v.file}.strip.jpg`)).streams[0]!;
    expect(media.filmstrip!.tiles).toBe(v.frames);
    expect(strip.width).toBe(media.filmstrip!.columns * media.filmstrip!.tileWidth);
    expect(strip.height).toBe(media.filmstrip!.rows * media.filmstrip!.tileHeight);
    // The server's thumbnail replaced the placeholder.
    const thumb = await kura.call(`/api/v1/assets/${asset.id}/thumbnail`, { token: admin });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");

    const after = await kura.must<{ kind: string; technical: Record<string, unknown> }>(200, `/assets/${asset.id}`, { token: admin });
    expect(after.kind).toBe("video");
    expect(after.technical.videoCodec).toBe(v.codec);
    if (v.timecode) expect(after.technical.startTimecode).toBe(v.timecode);
  });

  it.each([
    { file: "pcm24_48k.wav", seconds: 2 },
    { file: "mp3_44k.mp3", seconds: 2.04 },
  ])("$file: an AAC proxy and waveform peaks", async ({ file, seconds }) => {
    const { asset, media } = await uploadAndWait(path.join(dir, file));
    expect(media, JSON.stringify(media)).toMatchObject({ status: "ready", errorCode: null, poster: null, filmstrip: null });
    expect(media.proxy!.contentType).toBe("audio/mp4");
    const probed = probe(await download(`/api/v1/assets/${asset.id}/proxy`, admin, `${file}.m4a`));
    expect(probed.streams.map((s) => s.codec_name)).toEqual(["aac"]);
    expect(Number(probed.format.duration)).toBeCloseTo(seconds, 1);
    const peaks = await kura.must<{ version: number; bits: number; length: number; data: number[]; sample_rate: number; samples_per_pixel: number }>(
      200,
      media.waveform!.url,
      {
        token: viewer,
      },
    );
    expect(peaks).toMatchObject({ version: 2, bits: 8 });
    expect(peaks.data).toHaveLength(peaks.length * 2);
    expect(peaks.length * peaks.samples_per_pixel).toBeGreaterThanOrEqual(Math.floor(seconds * peaks.sample_rate * 0.98));
    // The loudest peak is the file's own, as ffmpeg measures it on the same mono mix (8-bit scale).
    const expected = Math.trunc((10 ** (peakDb(path.join(dir, file)) / 20) * 32768) / 256);
    expect(expected).toBeGreaterThan(5);
    expect(Math.abs(Math.max(...peaks.data) - expected)).toBeLessThanOrEqual(1);
    expect(Math.abs(-Math.min(...peaks.data) - expected)).toBeLessThanOrEqual(1);
  });

  it("a portrait HEIC from an iPhone: an upright preview of at most 2048 px and a thumbnail", async () => {
    const { asset, media } = await uploadAndWait(path.join(ROOT, "test", "fixtures", "pipeline", "heic_iphone_13_pro_max.heic"), "IMG_0001.HEIC");
    expect(media, JSON.stringify(media)).toMatchObject({ status: "ready", proxy: null, preview: { width: 1536, height: 2048 } });
    const preview = probe(await download(media.preview!.url, viewer, "heic.preview.jpg")).streams[0]!;
    expect(preview).toMatchObject({ codec_name: "mjpeg", width: 1536, height: 2048 });
    const thumb = probe(await download(`/api/v1/assets/${asset.id}/thumbnail`, viewer, "heic.thumb.jpg")).streams[0]!;
    expect(thumb).toMatchObject({ width: 384, height: 512 });
  });

  it.each([
    { file: path.join(ROOT, "test", "fixtures", "media", "jpg_corrupted.jpg"), code: "decode_failed" },
    { file: "random.bin", code: "unrecognized_format" },
  ])("$file fails clearly ($code), and nothing is stored for it", async ({ file, code }) => {
    const { asset, media } = await uploadAndWait(path.isAbsolute(file) ? file : path.join(dir, file));
    expect(media).toMatchObject({ status: "failed", errorCode: code, proxy: null, poster: null, preview: null });
    expect((await kura.call(`/api/v1/assets/${asset.id}/stream`, { token: admin })).status).toBe(404);
    // The transcoder is still there for the next file.
    expect((await kura.api("/status")).body.components.find((c: { name: string }) => c.name === "media_processing")).toMatchObject({ status: "operational" });
  });

  it("usage counts the derived objects, and deleting the asset gives all of it back", async () => {
    const before = (await kura.must<{ bytes: number }>(200, "/usage", { token: admin })).bytes;
    const { asset, media } = await uploadAndWait(path.join(dir, "prores422_2997df.mov"), "usage.mov");
    const sizes = await Promise.all(
      [`/api/v1/assets/${asset.id}/stream`, media.poster!.url, media.filmstrip!.url, `/api/v1/assets/${asset.id}/thumbnail`].map(async (url) => {
        const res = await kura.call(url, { token: admin, method: "HEAD" });
        expect(res.status, url).toBe(200);
        return Number(res.headers.get("content-length"));
      }),
    );
    const during = (await kura.must<{ bytes: number }>(200, "/usage", { token: admin })).bytes;
    expect(during - before).toBe(asset.size + sizes.reduce((a, b) => a + b, 0));
    await kura.must(204, `/assets/${asset.id}`, { token: admin, method: "DELETE" });
    expect((await kura.must<{ bytes: number }>(200, "/usage", { token: admin })).bytes).toBe(before);
  });

  it("a viewer and a watch-only role play the proxy but not the original; only roles with asset.download_proxy download it", async () => {
    const { asset, media } = await uploadAndWait(path.join(dir, "h264_23976.mov"), "roles.mov");
    expect(media.status).toBe("ready");
    const status = async (token: string, what: string, headers: Record<string, string> = {}) =>
      (await kura.call(`/api/v1/assets/${asset.id}/${what}`, { token, headers })).status;
    for (const token of [viewer, watchOnly, proxyOnly]) {
      expect(await status(token, "stream", { Range: "bytes=0-1023" })).toBe(206);
      expect(await status(token, "original")).toBe(403);
    }
    expect(await status(viewer, "proxy")).toBe(200);
    expect(await status(proxyOnly, "proxy")).toBe(200);
    expect(await status(watchOnly, "proxy")).toBe(403);
    expect((await kura.must<{ canDownloadProxy: boolean }>(200, `/assets/${asset.id}/media`, { token: watchOnly })).canDownloadProxy).toBe(false);
  });
});
