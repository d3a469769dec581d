#!/usr/bin/env node
// Audit log benchmark: node bench/audit/run.mjs [--events 1000000]
// Starts the benchmark worker under `wrangler dev` (plain workerd, not the
// test pool), then measures, for the real AuditLog and for the floor:
//  1. append throughput with 200 concurrent writers (one event per request);
//  2. latency of a filtered page (50 newest of one action) at N events.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const PORT = 8791;
const BASE = `http://127.0.0.1:${PORT}`;
const EVENTS = Number(process.argv[process.argv.indexOf("--events") + 1] || 1_000_000);
const WRITERS = 200;
const APPENDS = 10_000;

const state = mkdtempSync(path.join(tmpdir(), "kura-bench-audit-"));
const child = spawn(
  path.join(ROOT, "node_modules/.bin/wrangler"),
  ["dev", "-c", path.join(HERE, "wrangler.toml"), "--ip", "127.0.0.1", "--port", String(PORT), "--persist-to", state, "--show-interactive-dev-session=false"],
  {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  },
);
const stop = () => {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    /* gone */
  }
  rmSync(state, { recursive: true, force: true });
};

async function get(p) {
  const res = await fetch(BASE + p);
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function ready() {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${BASE}/floor/query?tenant=warmup`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error("wrangler dev did not start");
}

async function appendRate(which, tenant) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (;;) {
        const n = next++;
        if (n >= APPENDS) return;
        await get(`/${which}/append?tenant=${tenant}&count=1&start=${n}`);
      }
    }),
  );
  return APPENDS / ((performance.now() - started) / 1000);
}

async function seed(which, tenant, total) {
  const batch = 2000;
  for (let start = 0; start < total; start += batch * 4) {
    await Promise.all(
      [0, 1, 2, 3].map((k) => {
        const s = start + k * batch;
        return s < total ? get(`/${which}/append?tenant=${tenant}&count=${Math.min(batch, total - s)}&start=${s}`) : null;
      }),
    );
  }
}

async function pageLatency(which, tenant, samples = 300) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const action = ["auth.login", "asset.downloaded", "share.accessed"][i % 3];
    const t = performance.now();
    await get(`/${which}/query?tenant=${tenant}&action=${action}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p95: q(0.95) };
}

try {
  await ready();
  // Warm both paths once.
  await get("/kura/append?tenant=warm&count=10");
  await get("/floor/append?tenant=warm&count=10");
  const kuraRate = await appendRate("kura", "append-kura");
  const floorRate = await appendRate("floor", "append-floor");
  const verify = await get("/kura/verify?tenant=append-kura");
  if (!verify.ok || verify.count !== APPENDS) throw new Error(`chain after the append run: ${JSON.stringify(verify)}`);
  const kuraBurst = APPENDS / ((await get(`/kura/burst?tenant=burst-kura&writers=${WRITERS}&count=${APPENDS}`)).ms / 1000);
  const floorBurst = APPENDS / ((await get(`/floor/burst?tenant=burst-floor&writers=${WRITERS}&count=${APPENDS}`)).ms / 1000);

  console.error(`seeding ${EVENTS} events into each log…`);
  const seedStart = performance.now();
  await seed("kura", "read-kura", EVENTS);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  await seed("floor", "read-floor", EVENTS);
  const kuraRead = await pageLatency("kura", "read-kura");
  const floorRead = await pageLatency("floor", "read-floor");

  const r = (x) => x.toFixed(2);
  console.log(
    JSON.stringify(
      { writers: WRITERS, appends: APPENDS, kuraRate, floorRate, kuraBurst, floorBurst, seedEvents: EVENTS, seedSeconds, kuraRead, floorRead },
      null,
      2,
    ),
  );
  console.log(
    `\nappend, ${WRITERS} concurrent writers inside the Worker (RPC): Kura ${kuraBurst.toFixed(0)} events/s, floor ${floorBurst.toFixed(0)} events/s, ratio ${r(kuraBurst / floorBurst)} (goal ≥ 1,000 events/s)`,
  );
  console.log(
    `append, ${WRITERS} concurrent HTTP clients (one request per event): Kura ${kuraRate.toFixed(0)} events/s, floor ${floorRate.toFixed(0)} events/s, ratio ${r(kuraRate / floorRate)}`,
  );
  console.log(
    `filtered page (50 of one action) at ${EVENTS} events: Kura p50 ${r(kuraRead.p50)} ms p95 ${r(kuraRead.p95)} ms; floor p50 ${r(floorRead.p50)} ms p95 ${r(floorRead.p95)} ms; p95 ratio ${r(kuraRead.p95 / floorRead.p95)} (goal p95 ≤ 30 ms)`,
  );
  console.log(`bulk append while seeding: ${(EVENTS / seedSeconds).toFixed(0)} events/s in batches of 2000`);
} finally {
  stop();
}
