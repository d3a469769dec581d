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
