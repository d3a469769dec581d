// Shared by the benchmarks that run a floor worker beside the real app.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { childEnv, randomDataKey, randomToken, ROOT, stopChild } from "../scripts/lib.mjs";

// ------------------------------------------------------------------ command line and machine

/** `--name N` as a number, else `fallback`. */
export function numberArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith("--") ? Number(process.argv[i + 1]) : fallback;
}

/** `--name` given. */
export const flag = (name) => process.argv.includes(`--${name}`);

/** `--name a,b,c` as a list, else `fallback` (a comma-separated string). */
export function listArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback).split(",");
}

/** The 1, 5 and 15 minute load averages. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** CPUs, memory and Node, for the record of a run. */
export const machine = () => `${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;

/** The load average at named moments of a run, said on stderr as they are taken. */
export function loadLog(say) {
  const loads = [];
  return {
    loads,
    note(phase) {
      loads.push({ phase, load: loadAverage(), at: new Date().toISOString() });
      say(`${phase}: load average ${loadAverage()}`);
    },
  };
}

// ------------------------------------------------------------------ the app's state and API

/**
 * A fresh `--persist-to` directory for one run, and an env file in it with a random operator
 * token and data key, plus `secrets` (names given random keys). The token stays in the process.
 */
export function freshState(name, secrets = []) {
  const state = mkdtempSync(path.join(os.tmpdir(), `kura-bench-${name}-`));
  const envFile = path.join(state, ".env");
  const operator = randomToken();
  const lines = [`OPERATOR_TOKEN=${operator}`, ...["DATA_ENCRYPTION_KEY", ...secrets].map((s) => `${s}=${randomDataKey()}`)];
  writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  return { state, envFile, operator };
}

/**
 * The end of a run: stops what it started (`running()` answers the app as startWrangler gave it
 * and the floor worker's child, either not yet started) and removes its state unless --keep.
 * Ctrl-C runs it too.
 */
export function cleanupOf(state, running) {
  const cleanup = () => {
    const { app, floor } = running();
    if (app) app.stop();
    if (floor) stopChild(floor);
    if (!flag("keep")) rmSync(state, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  return cleanup;
}

/**
 * A URL or path with every share-link token (a path segment of 32 base32 characters, as
 * ShareTokenParamsSchema) replaced: a benchmark's messages never carry a credential.
 */
export const withoutTokens = (s) => s.replace(/\/[a-z2-7]{32}(?=[/?#]|$)/g, "/[token]");

/** One JSON call of the app's API (`base` its origin); throws unless the status is `expect` (when given). */
export async function apiCall(base, p, { body, method = body ? "POST" : "GET", token, expect, timeoutMs = 120_000 } = {}) {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (expect && res.status !== expect) throw new Error(`${method} ${withoutTokens(p)}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

/** A tenant made with the operator token, its first admin set up and signed in, through the public API. */
export async function tenantWithAdmin(base, operator, slug, name) {
  const email = `admin@${slug}.kura.test`;
  const created = await apiCall(base, "/operator/tenants", {
    token: operator,
    expect: 201,
    body: { slug, name, adminEmail: email, storageQuotaBytes: 2 ** 52 },
  });
  const password = `bench-${randomToken()}`;
  await apiCall(base, "/auth/setup", { expect: 200, body: { token: created.adminSetupToken, password } });
  const login = await apiCall(base, "/auth/login", { expect: 200, body: { tenant: slug, email, password } });
  return { id: created.tenant.id, token: login.token, userId: login.user.id };
}

// ------------------------------------------------------------------ latency from the client

export function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) };
}

/** The latencies of `samples` GETs of `url` by `concurrency` clients (each response read to its end). */
export async function timedGets(url, headers, concurrency, samples) {
  const times = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < samples) {
        const t = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${withoutTokens(url)}: ${res.status}`);
        times.push(performance.now() - t);
      }
    }),
  );
  return times;
}

/** Twenty requests before a measurement, so neither side pays for its first ones. */
export async function warm(url, headers) {
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer();
}

/** `samples` GETs of `url` by `concurrency` clients; latency as the client sees it. */
export async function measure(url, headers, concurrency, samples) {
  await warm(url, headers);
  const started = performance.now();
  const times = await timedGets(url, headers, concurrency, samples);
  return { ...stats(times), rps: samples / ((performance.now() - started) / 1000) };
}

/**
 * Kura and its floor on one cell (`{ url, headers }` each), in alternating blocks (ABBA…: `rounds`
 * rounds of samples/rounds requests a side, the first side swapping every round), so both sides
 * sample the same stretch of the run: a machine getting busier during a cell no longer lands on
 * whichever side ran second. Within a block only one side runs, so c=8 still means eight clients
 * of that one service.
 */
export async function measurePair(floor, kura, concurrency, samples, rounds = 10) {
  for (const side of [floor, kura]) await warm(side.url, side.headers);
  const times = { floor: [], kura: [] };
  const per = Math.ceil(samples / rounds);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["floor", "kura"] : ["kura", "floor"];
    for (const name of order) {
      const side = name === "floor" ? floor : kura;
      times[name].push(...(await timedGets(side.url, side.headers, concurrency, per)));
    }
  }
  return { floor: stats(times.floor), kura: stats(times.kura) };
}

// ------------------------------------------------------------------ the floor worker

/** A floor worker under `wrangler dev`, on the app's --persist-to directory (so it opens the same local D1 and R2). */
export function startFloorWorker({ config, port, inspectorPort, persistTo }) {
  return spawn(
    path.join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      "-c",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistTo,
      "--show-interactive-dev-session=false",
    ],
    { cwd: ROOT, env: childEnv, stdio: ["ignore", "ignore", "inherit"], detached: true },
  );
}

/** Waits until `url` answers 2xx; fails at once if `child` exits first. */
export async function waitFor(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`${url}: the worker exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

/**
 * A V8 CPU profile of the app's isolate while `fn` runs, through wrangler dev's inspector (Chrome
 * DevTools protocol). Returns the profile and the self time per function, largest first (the
 * profiler adds overhead: compare shares, not milliseconds).
 */
export async function cpuProfile(inspectorPort, fn) {
  let WebSocket;
  try {
    ({ default: WebSocket } = await import("ws")); // installed with wrangler (miniflare); Node 20 has no WebSocket client
  } catch {
    throw new Error("a CPU profile needs the ws package (a dependency of wrangler); run npm ci");
  }
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  // Every error or an early close fails what waits (the handshake, a command) instead of leaving
  // an error event without a listener (which ends the process) or a command without an answer.
  let broken = null;
  const failing = new Set();
  const fail = (error) => {
    broken ??= error;
    for (const reject of failing) reject(broken);
  };
  ws.on("error", fail);
  ws.on("close", () => fail(new Error("the inspector closed the connection")));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    failing.add(reject);
  });
  let nextId = 0;
  const waiting = new Map();
  ws.on("message", (m) => {
    const d = JSON.parse(m);
    waiting.get(d.id)?.(d);
    waiting.delete(d.id);
  });
  const cdp = (method, params = {}) =>
    new Promise((resolve, reject) => {
      if (broken) return reject(broken);
      const id = ++nextId;
      waiting.set(id, resolve);
      failing.add(reject);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await cdp("Profiler.enable");
  await cdp("Profiler.setSamplingInterval", { interval: 100 });
  await cdp("Profiler.start");
  const start = performance.now();
  const value = await fn();
  const wallMs = performance.now() - start;
  const { result } = await cdp("Profiler.stop");
  ws.close();
  const profile = result.profile;
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
    byName.set(name, (byName.get(name) ?? 0) + (self.get(node.id) ?? 0));
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  const shares = [...byName].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, share: us / total }));
  return { value, wallMs, profile, shares };
}

/** A CPU profile (cpuProfile) of Kura's isolate during `count` GETs of `url` one after another, after 50 unprofiled ones. */
export async function profileGets(inspectorPort, url, headers, count = 300) {
  for (let i = 0; i < 50; i++) await (await fetch(url, { headers })).arrayBuffer();
  return cpuProfile(inspectorPort, async () => {
    for (let i = 0; i < count; i++) await (await fetch(url, { headers })).arrayBuffer();
  });
}

/** The first `n` of a profile's functions by self time, a line each. */
export const topFunctions = (shares, n) => shares.slice(0, n).map(({ name, share }) => `  ${(100 * share).toFixed(1).padStart(5)}%  ${name}`);
