#!/usr/bin/env node
// Issue #13's media benchmark (bench/RESULTS.md, "Media pipeline"):
//   node bench/media/run.mjs [--rounds 3] [--plays 20] [--no-build]
// 1. Proxy creation for a 60 s 1080p ProRes 422 file: Kura's whole pipeline (multipart upload
//    through the API, then from the completed upload to a ready, playable proxy: queue, job
//    dispatch, ranged reads of the original, ffmpeg, output uploads, callback) against its floor,
//    the same ffmpeg command on the same file on local disk, in the same run. Goal ≤ 1.2×.
// 2. Time from upload completion to a playable proxy (the same rounds).
// 3. Player time to first frame: the asset page opened in Chromium until the proxy's first frame
//    is decoded (the player's `kura:player-first-frame` mark), p95 over --plays loads, against a
//    floor page that is only a <video> of the same proxy bytes from a plain Node server. Goal ≤ 500 ms.
// Production runs the transcoder in a container with its own vCPUs while R2 and the Worker run on
// Cloudflare's machines. Here all of it shares two cores, and the local R2 emulator's reads cost
// CPU that production never charges to the transcoder. So by default (--pin) the transcoder and the
// floor's ffmpeg run on CPU 1 and wrangler/workerd on CPU 0 (taskset); --no-pin runs everything on
// every core, for comparison.
// The ProRes file is made once (about 2.5 minutes) and kept in bench/media/.cache.
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { build, migrate, randomDataKey, randomToken, ROOT, startTranscoder, startWrangler } from "../../scripts/lib.mjs";
import { probe } from "../../transcoder/src/probe.mjs";
import { videoCommand } from "../../transcoder/src/profiles.mjs";
import { runTool } from "../../transcoder/src/tools.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = option("rounds", 3);
const PLAYS = option("plays", 20);
const PIN = !args.includes("--no-pin") && os.cpus().length >= 2;
const TRANSCODER_CPUS = PIN ? "1" : undefined;
const WORKER_CPUS = PIN ? "0" : undefined;
const PORT = 8831;
const TRANSCODER_PORT = 8832;
const CACHE = path.join(ROOT, "bench", "media", ".cache");
const SOURCE = path.join(CACHE, "prores422_1080p2997_60s.mov");

const log = (m) => process.stdout.write(`[bench:media] ${m}\n`);
const seconds = (ms) => (ms / 1000).toFixed(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

function ensureSource() {
  if (existsSync(SOURCE)) return;
  mkdirSync(CACHE, { recursive: true });
  log("making the 60 s 1080p ProRes 422 source (once; about 2.5 minutes)");
  execFileSync("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30000/1001:duration=60"],
    ...["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=60"],
    ...["-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le", "-c:a", "pcm_s24le", "-timecode", "01:00:00;00", SOURCE],
  ]);
}

/** The floor: the transcoder's own command for this file, run by hand on local disk (probe included, as the pipeline probes too). */
async function floorRound(dir) {
  const started = performance.now();
  const summary = await probe(SOURCE);
  const files = Object.fromEntries(["proxy", "poster", "thumbnail", "filmstrip"].map((n) => [n, path.join(dir, `${n}.${n === "proxy" ? "mp4" : "jpg"}`)]));
  const command = videoCommand(summary, SOURCE, files).args;
  await (TRANSCODER_CPUS ? runTool("taskset", ["-c", TRANSCODER_CPUS, "ffmpeg", ...command]) : runTool("ffmpeg", command));
  return performance.now() - started;
}

async function api(base, p, { token, json, method, body, headers = {} } = {}) {
  const res = await fetch(`${base}/api/v1${p}`, {
    method: method ?? (json || body ? "POST" : "GET"),
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json ? { "Content-Type": "application/json" } : {}), ...headers },
    body: json ? JSON.stringify(json) : body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${p}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** One multipart upload through the API; returns the asset and when its completion answered. */
async function upload(base, token, projectId, name) {
  const size = statSync(SOURCE).size;
  const created = await api(base, `/projects/${projectId}/uploads`, { token, json: { filename: name, size, contentType: "video/quicktime" } });
  const fd = openSync(SOURCE, "r");
  try {
    for (let n = 1; n <= created.partCount; n++) {
      const length = Math.min(created.partSize, size - (n - 1) * created.partSize);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, (n - 1) * created.partSize);
      await api(base, `/uploads/${created.uploadId}/parts/${n}`, {
        token,
        method: "PUT",
        body: buffer,
        headers: { "Content-Type": "application/octet-stream" },
      });
    }
  } finally {
    closeSync(fd);
  }
  const asset = await api(base, `/uploads/${created.uploadId}/complete`, { token, method: "POST" });
  return { asset, completedAt: performance.now() };
}

async function waitReady(base, token, assetId) {
  for (;;) {
    const media = await api(base, `/assets/${assetId}/media`, { token });
    if (media.status === "ready") return media;
    if (media.status === "failed") throw new Error(`the proxy failed: ${media.errorCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Page loads until the first frame is decoded, read from the page's own performance timeline (ms from navigation start). */
async function firstFrames(url, mark, plays, prepare) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await prepare?.(context);
    const page = await context.newPage();
    const times = [];
    for (let i = 0; i < plays + 1; i++) {
      await page.goto(url, { waitUntil: "commit" });
      const ms = await page.waitForFunction((name) => performance.getEntriesByName(name)[0]?.startTime, mark, { timeout: 30_000 });
      // The first load warms Chromium's caches of the page's scripts: not counted.
      if (i > 0) times.push(await ms.jsonValue());
    }
    return times;
  } finally {
    await browser.close();
  }
}

/** The floor page: one <video> of the proxy's bytes from a plain Node server, marking its first decoded frame like the player does. */
async function floorPage(proxyBytes) {
  const html = `<!doctype html><video src="/proxy.mp4" preload="auto" onloadeddata="performance.mark('floor-first-frame')"></video>`;
  const server = createServer((req, res) => {
    if (req.url === "/") return res.writeHead(200, { "Content-Type": "text/html" }).end(html);
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    if (!range) return res.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": proxyBytes.length, "Accept-Ranges": "bytes" }).end(proxyBytes);
    const start = Number(range[1]);
    const end = range[2] ? Number(range[2]) : proxyBytes.length - 1;
    res.writeHead(206, { "Content-Type": "video/mp4", "Content-Range": `bytes ${start}-${end}/${proxyBytes.length}`, "Content-Length": end - start + 1 });
    res.end(proxyBytes.subarray(start, end + 1));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

ensureSource();
if (!args.includes("--no-build")) build();
const persistTo = mkdtempSync(path.join(tmpdir(), "kura-bench-media-"));
const work = mkdtempSync(path.join(tmpdir(), "kura-bench-floor-"));
migrate(persistTo);
const operatorToken = randomToken();
const transcoderToken = randomToken();
const envFile = path.join(persistTo, ".env");
writeFileSync(
  envFile,
  `OPERATOR_TOKEN=${operatorToken}\nDATA_ENCRYPTION_KEY=${randomDataKey()}\nCERTIFICATE_SIGNING_KEY=${randomDataKey()}\nTRANSCODER_SIGNING_KEY=${randomDataKey()}\nTRANSCODER_TOKEN=${transcoderToken}\n`,
);
const transcoder = await startTranscoder({ port: TRANSCODER_PORT, token: transcoderToken, quiet: !args.includes("--verbose"), cpus: TRANSCODER_CPUS });
const server = await startWrangler({
  port: PORT,
  persistTo,
  envFile,
  quiet: true,
  cpus: WORKER_CPUS,
  vars: { TRANSCODER_URL: transcoder.base, PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}` },
});
const base = server.base;
const results = {
  pinned: PIN,
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    ffmpeg: spawnSync("ffmpeg", ["-version"], { encoding: "utf8" }).stdout.split("\n")[0],
  },
  date: new Date().toISOString(),
  rounds: [],
};
try {
  const slug = `bench${Date.now().toString(36)}`;
  const password = "bench-password-media-2026";
  const tenant = await api(base, "/operator/tenants", {
    token: operatorToken,
    json: { slug, name: "Bench", adminEmail: `admin@${slug}.example`, storageQuotaBytes: 200 * 2 ** 30 },
  });
  await api(base, "/auth/setup", { json: { token: tenant.adminSetupToken, password } });
  const { token } = await api(base, "/auth/login", { json: { tenant: slug, email: `admin@${slug}.example`, password } });
  const project = await api(base, "/projects", { token, json: { name: "Bench" } });
  let lastAsset = null;
  for (let round = 1; round <= ROUNDS; round++) {
    const floorMs = await floorRound(work);
    const uploadStarted = performance.now();
    const { asset, completedAt } = await upload(base, token, project.id, `bench-${round}.mov`);
    const media = await waitReady(base, token, asset.id);
    const readyAt = performance.now();
    const pipelineMs = readyAt - completedAt;
    results.rounds.push({ round, floorMs, uploadMs: completedAt - uploadStarted, pipelineMs, ratio: pipelineMs / floorMs, frames: media.proxy.frames });
    log(
      `round ${round}: floor (bare ffmpeg) ${seconds(floorMs)} s; upload ${seconds(completedAt - uploadStarted)} s; completion → playable proxy ${seconds(pipelineMs)} s = ${(pipelineMs / floorMs).toFixed(2)}× the floor`,
    );
    lastAsset = asset;
  }

  // Player time to first frame: the asset page as its admin, against a bare <video> of the same bytes.
  const proxyBytes = Buffer.from(
    await (await fetch(`${base}/api/v1/assets/${lastAsset.id}/proxy`, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer(),
  );
  const floor = await floorPage(proxyBytes);
  const floorTimes = await firstFrames(floor.url, "floor-first-frame", PLAYS);
  floor.close();
  const pageTimes = await firstFrames(`${base}/projects/${project.id}/assets/${lastAsset.id}`, "kura:player-first-frame", PLAYS, async (context) => {
    const page = await context.newPage();
    await page.goto(`${base}/login?tenant=${slug}`);
    await page.waitForFunction(() => window.__remixRouter !== undefined);
    await page.fill("#f-email", `admin@${slug}.example`);
    await page.fill("#f-password", password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("form[data-testid=login-form] button[type=submit]")]);
    await page.close();
  });
  results.player = {
    plays: PLAYS,
    p95Ms: p95(pageTimes),
    medianMs: median(pageTimes),
    floorP95Ms: p95(floorTimes),
    floorMedianMs: median(floorTimes),
    proxyBytes: proxyBytes.length,
  };
  log(
    `player first frame over ${PLAYS} page loads: p95 ${pageTimes.length ? p95(pageTimes).toFixed(0) : "?"} ms (median ${median(pageTimes).toFixed(0)}); floor <video> page p95 ${p95(floorTimes).toFixed(0)} ms (median ${median(floorTimes).toFixed(0)})`,
  );
  const ratios = results.rounds.map((r) => r.ratio);
  log(`proxy pipeline / floor: median ${median(ratios).toFixed(2)}×, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`);
  writeFileSync(path.join(ROOT, "bench", "media", "last-run.json"), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  server.stop();
  transcoder.stop();
  rmSync(persistTo, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
