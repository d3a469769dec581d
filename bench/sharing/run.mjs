#!/usr/bin/env node
// Sharing benchmark (issue #14): node bench/sharing/run.mjs [--assets 200] [--samples 1000]
//   [--no-build] [--keep] [--verbose] [--phases list,page] (also: profile, a CPU profile of Kura
//   while it serves each of them)
//
// Starts the REAL app (the built Remix app under plain `wrangler dev`, fresh local state,
// migrations applied, PUBLIC_BASE_URL set so that shares can be made) and, next to it, the floor
// worker (bench/sharing/worker.ts) bound to the same local D1 files. Then:
//  1. a tenant, its admin and a project through the public API; `--assets` realistic asset rows
//     seeded straight into that D1 file by the floor worker (the assets bench's rows: technical
//     JSON, tags; images and videos with a thumbnail), shared through the API
//     (POST /api/v1/shares: a password, three recipients, scope preview_download), and a guest
//     session opened on the first recipient's link (POST /api/v1/public/shares/{token}/session);
//  2. the guest asset list, GET /api/v1/public/shares/{token}/assets?limit=200 (the largest page:
//     every asset of the default share) with the guest token as a bearer, vs the floor running the
//     same statements bare, the same JSON shape;
//  3. the share page, GET /s/{token} (the guest portal, server-rendered: its first 50 files and
//     the share's count; the rest loads as the guest scrolls) with the portal's cookie, vs the
//     floor's minimal HTML page of the same rows and count;
// each at concurrency 1 and 8, Kura and floor in alternating blocks, p50/p95/p99 from the client.
// The issue's goal: p95 ≤ 1.5× the floor. Nothing runs in the vitest pool. Tokens are never
// printed or written out. See bench/RESULTS.md for the figures.
//
// React's build: wrangler dev bundles React's development build unless NODE_ENV says otherwise
// (wrangler deploy bundles the production one). Run with NODE_ENV=production to measure what a
// deployment serves; the run records which it was.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  apiCall,
  cleanupOf,
  flag,
  freshState,
  listArg,
  loadLog,
  machine,
  measurePair,
  numberArg as arg,
  profileGets,
  startFloorWorker,
  tenantWithAdmin,
  topFunctions,
  waitFor,
} from "../lib.mjs";
import { build, migrate, ROOT, startWrangler } from "../../scripts/lib.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PHASES = listArg("phases", "list,page");
const LIST_LIMIT = 200; // the contract's largest page
const PAGE_FILES = 50; // GUEST_PORTAL_PAGE: the files the portal server-renders
const ASSETS = arg("assets", 200);
const SAMPLES = arg("samples", 1000); // per cell and side, as the assets bench
const APP_PORT = arg("port", 8797);
const FLOOR_PORT = APP_PORT + 1;
const INSPECTOR_PORT = APP_PORT + 700; // 9497 (the floor's: 9498)
const SEED_BATCH = 2000;
const RECIPIENTS = ["client@agency.kura.test", "producer@agency.kura.test", "director@agency.kura.test"];

const say = (m) => process.stderr.write(`[bench:sharing] ${m}\n`);
const { loads, note: noteLoad } = loadLog(say);

// ------------------------------------------------------------------ setup

const { state, envFile, operator: OPERATOR } = freshState("sharing");
const APP = `http://127.0.0.1:${APP_PORT}`;
const FLOOR = `http://127.0.0.1:${FLOOR_PORT}`;

let app;
let floor;
const cleanup = cleanupOf(state, () => ({ app, floor }));

async function floorJson(p, init) {
  const res = await fetch(FLOOR + p, init);
  if (!res.ok) throw new Error(`floor ${p.split("?")[0]}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function text(url, headers) {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (!res.ok) throw new Error(`${new URL(url).port === String(APP_PORT) ? "Kura" : "floor"}: ${res.status} ${body.slice(0, 300)}`);
  return body;
}

/** The asset ids of a page, in order: Kura's cards and the floor's rows both carry data-asset-id. */
const pageIds = (html) => [...html.matchAll(/data-asset-id="([^"]+)"/g)].map((m) => m[1]);

// ------------------------------------------------------------------ run

const reactBuild = process.env.NODE_ENV === "production" ? "production" : "development";
const results = { date: new Date().toISOString(), machine: machine(), assets: ASSETS, samples: SAMPLES, reactBuild, cells: [] };
if (ASSETS > LIST_LIMIT) throw new Error(`--assets ${ASSETS}: the list cell reads one page of at most ${LIST_LIMIT}`);
try {
  noteLoad("start");
  if (!flag("no-build")) build();
  migrate(state);
  app = await startWrangler({
    port: APP_PORT,
    persistTo: state,
    envFile,
    inspectorPort: INSPECTOR_PORT,
    quiet: !flag("verbose"),
    vars: { PUBLIC_BASE_URL: APP },
  });
  const admin = await tenantWithAdmin(APP, OPERATOR, "bench-share", "ベンチ制作 (Bench Productions)");
  const api = (p, options = {}) => apiCall(APP, p, { token: admin.token, ...options });
  const project = (await api("/projects", { expect: 201, body: { name: "渋谷ロケ 2026 (client review)" } })).id;

  // Seed while only the floor worker has the database open for writing.
  floor = startFloorWorker({ config: path.join(HERE, "wrangler.toml"), port: FLOOR_PORT, inspectorPort: INSPECTOR_PORT + 1, persistTo: state });
  await waitFor(`${FLOOR}/status`, floor);
  for (let start = 0; start < ASSETS; start += SEED_BATCH) {
    const count = Math.min(SEED_BATCH, ASSETS - start);
    await floorJson(`/seed?tenant=${admin.id}&project=${project}&createdBy=${admin.userId}&start=${start}&count=${count}&total=${ASSETS}`, {
      method: "POST",
    });
  }
  const { thumbnails } = await floorJson(`/seed/thumbnails?tenant=${admin.id}&project=${project}`, { method: "POST" });
  const ids = await floorJson(`/ids?tenant=${admin.id}&project=${project}`);
  if (ids.length !== ASSETS) throw new Error(`seeded ${ids.length} assets, not ${ASSETS}`);
  say(`seeded ${ids.length} assets (${thumbnails} with a thumbnail)`);

  // The share and a guest session, through the API as a team member and a guest would.
  const password = `bench-share-${Date.now()}`;
  const share = await api("/shares", {
    expect: 201,
    body: {
      projectId: project,
      assetIds: ids,
      scope: "preview_download",
      expiresAt: new Date(Date.now() + 30 * 24 * 3_600_000).toISOString(),
      password,
      recipients: RECIPIENTS,
    },
  });
  const token = new URL(share.links[0].url).pathname.split("/").at(-1);
  const session = await apiCall(APP, `/public/shares/${token}/session`, { expect: 200, body: { password } });
  if (session.verification !== null) throw new Error("the guest session waits for a code");
  const bearer = { Authorization: `Bearer ${session.guestToken}` };
  const cookieName = `kura_guest_${createHash("sha256").update(`cookie:${token}`).digest("hex").slice(0, 16)}`;
  const cookie = { Cookie: `${cookieName}=${session.guestToken}` };
  results.share = { links: share.links.length, assets: ids.length, thumbnails, scope: "preview_download", password: true };
  results.plan = await floorJson(`/explain?tenant=${admin.id}&share=${share.id}&project=${project}`);
  results.pagePlan = await floorJson(`/explain?tenant=${admin.id}&share=${share.id}&project=${project}&counted=1`);

  const cells = [
    {
      phase: "list",
      name: `guest asset list (${ASSETS} assets), GET /api/v1/public/shares/{token}/assets`,
      kura: { url: `${APP}/api/v1/public/shares/${token}/assets?limit=${LIST_LIMIT}`, headers: bearer },
      floor: { url: `${FLOOR}/floor/assets/${token}?limit=${LIST_LIMIT}`, headers: bearer },
    },
    {
      phase: "page",
      name: `share page (${ASSETS} assets, the first ${Math.min(PAGE_FILES, ASSETS)} rendered), GET /s/{token}`,
      kura: { url: `${APP}/s/${token}`, headers: cookie },
      floor: { url: `${FLOOR}/floor/page/${token}`, headers: cookie },
    },
  ];

  // The session's own writes (the link's counters, its audit event) go on after its answer: two
  // workerd processes on one local SQLite file meet each other's locks (SQLITE_BUSY, a local
  // artefact: D1 has one writer), so they are let finish before anything is read. Measured
  // requests only read.
  await new Promise((r) => setTimeout(r, 3000));

  // Same rows on both sides, or the comparison means nothing.
  {
    const k = await text(cells[0].kura.url, bearer);
    const f = await text(cells[0].floor.url, bearer);
    if (k !== JSON.stringify(JSON.parse(f))) throw new Error("guest asset list: Kura and the floor answer differently");
    if (JSON.parse(k).items.length !== ASSETS) throw new Error(`guest asset list: ${JSON.parse(k).items.length} items`);
    const kp = await text(cells[1].kura.url, cookie);
    const fp = await text(cells[1].floor.url, cookie);
    if (!kp.includes('data-testid="guest-files"')) throw new Error("share page: Kura did not show the shared files (the gate?)");
    if (pageIds(kp).join() !== pageIds(fp).join() || pageIds(kp).length !== Math.min(PAGE_FILES, ASSETS))
      throw new Error("share page: Kura and the floor list different rows");
    results.bytes = { listKura: k.length, listFloor: f.length, pageKura: Buffer.byteLength(kp), pageFloor: Buffer.byteLength(fp) };
    say(`answers agree; bytes: ${JSON.stringify(results.bytes)}`);
  }

  for (const cell of cells.filter((c) => PHASES.includes(c.phase))) {
    noteLoad(`before ${cell.phase}`);
    const row = { name: cell.name };
    for (const c of [1, 8]) {
      const pair = await measurePair(cell.floor, cell.kura, c, SAMPLES);
      row[`kura${c}`] = pair.kura;
      row[`floor${c}`] = pair.floor;
      say(
        `${cell.phase} c=${c}: Kura p50/p95/p99 ${["p50", "p95", "p99"].map((q) => pair.kura[q].toFixed(1)).join(" / ")} | floor ${["p50", "p95", "p99"].map((q) => pair.floor[q].toFixed(1)).join(" / ")} ms`,
      );
    }
    results.cells.push(row);
  }

  noteLoad("after the measurements");
  results.loads = loads;

  // ---------------------------------------------------------------- report
  const f = (x) => x.toFixed(1);
  const out = path.join(HERE, "last-run.json");
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nReact's ${reactBuild} build; ${results.machine}; ${results.date}; load: ${loads.map((l) => `${l.phase} ${l.load}`).join("; ")}`);
  console.log(`\n| measurement | Kura p50 / p95 / p99 (ms) | floor p50 / p95 / p99 (ms) | ratio p50 / p95 / p99 | p95 ≤ 1.5× floor |`);
  console.log(`|---|---|---|---|---|`);
  for (const row of results.cells) {
    for (const c of [1, 8]) {
      const k = row[`kura${c}`];
      const fl = row[`floor${c}`];
      const ratio = (q) => (k[q] / fl[q]).toFixed(2);
      console.log(
        `| ${row.name}, c=${c} | ${f(k.p50)} / ${f(k.p95)} / ${f(k.p99)} | ${f(fl.p50)} / ${f(fl.p95)} / ${f(fl.p99)} | ${ratio("p50")} / ${ratio("p95")} / ${ratio("p99")} | ${k.p95 <= 1.5 * fl.p95 ? "met" : "**not met**"} |`,
      );
    }
  }
  console.log(`\nplan of the shared-assets statement: ${results.plan.join(" / ")}`);
  console.log(`plan of the portal's count: ${results.pagePlan.join(" / ")}`);
  console.log(`full figures: ${path.relative(ROOT, out)}`);

  // --phases profile (diagnostic, after the figures are written, so that a failing inspector
  // connection loses nothing): a V8 CPU profile of Kura's isolate while it serves 300 of each at
  // c=1, through wrangler dev's inspector, written to bench/sharing/last-profile-<phase>.cpuprofile.
  if (PHASES.includes("profile")) {
    results.profiles = {};
    for (const cell of cells) {
      try {
        const { wallMs, profile, shares } = await profileGets(INSPECTOR_PORT, cell.kura.url, cell.kura.headers);
        writeFileSync(path.join(HERE, `last-profile-${cell.phase}.cpuprofile`), JSON.stringify(profile));
        results.profiles[cell.phase] = { wallMs, top: shares.slice(0, 30) };
        say(`profile, ${cell.phase}: 300 requests in ${wallMs.toFixed(0)} ms; self time by function (compare shares, not ms):`);
        for (const line of topFunctions(shares, 25)) say(line);
      } catch (error) {
        results.profiles[cell.phase] = { error: String(error) };
        say(`profile, ${cell.phase}: failed (${String(error).slice(0, 200)})`);
      }
    }
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  }
} finally {
  cleanup();
}
