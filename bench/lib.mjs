// Shared by the benchmarks that run a floor worker beside the real app.
import { spawn } from "node:child_process";
import path from "node:path";
import { childEnv, ROOT } from "../scripts/lib.mjs";

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
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let nextId = 0;
  const waiting = new Map();
  ws.on("message", (m) => {
    const d = JSON.parse(m);
    waiting.get(d.id)?.(d);
    waiting.delete(d.id);
  });
  const cdp = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++nextId;
      waiting.set(id, resolve);
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
