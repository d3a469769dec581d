#!/usr/bin/env node
// End-to-end tests: Debian's Chromium, driven by playwright-core, against a
// fresh `wrangler dev` with its own empty local state. Never skips: without
// a browser it installs one (as root) or stops with a clear message.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build, childEnv, log, migrate, randomDataKey, randomToken, ROOT, startTranscoder, startWrangler } from "./lib.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PORT = Number(process.env.E2E_PORT ?? 8799);
const TRANSCODER_PORT = Number(process.env.E2E_TRANSCODER_PORT ?? PORT - 2);

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    log(
      `Chromium not found at ${CHROMIUM}. The end-to-end tests need Debian's chromium:\n` +
        `    sudo apt-get update && sudo apt-get install -y chromium\n` +
        `  or set CHROMIUM_PATH to a Chromium binary. Stopping (the tests are not skipped).`,
    );
    process.exit(1);
  }
  log("installing Debian's chromium for the e2e tests (apt-get)");
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) {
      log("apt-get could not install chromium; the e2e tests cannot run.");
      process.exit(1);
    }
  }
}

ensureChromium();
if (!existsSync(path.join(ROOT, "build", "server", "index.js"))) build();

const persistTo = path.join(ROOT, ".wrangler", "e2e-state");
rmSync(persistTo, { recursive: true, force: true });
migrate(persistTo);

const secrets = mkdtempSync(path.join(tmpdir(), "kura-e2e-"));
const envFile = path.join(secrets, ".env");
const operatorToken = randomToken();
const transcoderToken = randomToken();
writeFileSync(
  envFile,
  `OPERATOR_TOKEN=${operatorToken}\nDATA_ENCRYPTION_KEY=${randomDataKey()}\nCERTIFICATE_SIGNING_KEY=${randomDataKey()}\nTRANSCODER_SIGNING_KEY=${randomDataKey()}\nTRANSCODER_TOKEN=${transcoderToken}\n`,
  { mode: 0o600 },
);

// The real transcoder with Debian's ffmpeg (ADR 0030): the pipeline tests and the player's e2e tests need it.
log(`starting the transcoder for e2e on 127.0.0.1:${TRANSCODER_PORT}`);
const transcoder = await startTranscoder({ port: TRANSCODER_PORT, token: transcoderToken, quiet: !process.env.E2E_TRANSCODER_LOG });
log(`starting wrangler dev for e2e on 127.0.0.1:${PORT}`);
const server = await startWrangler({
  port: PORT,
  persistTo,
  envFile,
  inspectorPort: Number(process.env.E2E_INSPECTOR_PORT ?? 9339),
  quiet: true,
  vars: { TRANSCODER_URL: transcoder.base, PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}` },
}).catch((error) => {
  transcoder.stop();
  throw error;
});
let status;
try {
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "vitest"), ["run", "--config", "vitest.e2e.config.ts", ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...childEnv, E2E_BASE_URL: server.base, E2E_OPERATOR_TOKEN: operatorToken, CHROMIUM_PATH: CHROMIUM },
  });
  status = result.status ?? 1;
} finally {
  server.stop();
  transcoder.stop();
  rmSync(secrets, { recursive: true, force: true });
}
process.exit(status);
