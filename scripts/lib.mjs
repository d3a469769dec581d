// Shared helpers for `npm start`, `npm test` and the e2e runner (plain Node).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "node_modules", ".bin");

export const childEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  // wrangler must not wait for a keypress or open a browser.
  CI: process.env.CI ?? "",
  BROWSER: "none",
};

export function log(message) {
  process.stdout.write(`\x1b[36m[kura]\x1b[0m ${message}\n`);
}

/** Runs a local binary to completion; exits the process when it fails. */
export function run(bin, args, options = {}) {
  const result = spawnSync(path.join(BIN, bin), args, { cwd: ROOT, stdio: "inherit", env: childEnv, ...options });
  if (result.status !== 0) {
    log(`${bin} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

export function randomToken() {
  return randomBytes(36).toString("base64url");
}

/** A fresh DATA_ENCRYPTION_KEY: base64 of 32 random bytes. */
export function randomDataKey() {
  return randomBytes(32).toString("base64");
}

/** .dev.vars holds local secrets; created with a random operator token when missing. */
export function ensureDevVars() {
  const file = path.join(ROOT, ".dev.vars");
  if (!existsSync(file)) {
    writeFileSync(file, `# Local secrets (git-ignored). Created by npm start.\nOPERATOR_TOKEN=${randomToken()}\n`, { mode: 0o600 });
    log("created .dev.vars with a random OPERATOR_TOKEN");
  }
  if (!/^DATA_ENCRYPTION_KEY=/m.test(readFileSync(file, "utf8"))) {
    appendFileSync(file, `DATA_ENCRYPTION_KEY=${randomDataKey()}\n`);
    log("added a random DATA_ENCRYPTION_KEY to .dev.vars");
  }
  const token = /^OPERATOR_TOKEN=(.+)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim();
  if (!token || token.length < 32) {
    log("OPERATOR_TOKEN in .dev.vars is missing or shorter than 32 characters; fix it or delete .dev.vars.");
    process.exit(1);
  }
  return token;
}

export function build() {
  log("building the app (remix vite:build)");
  run("remix", ["vite:build"], { stdio: ["ignore", "ignore", "inherit"] });
}

export function migrate(persistTo) {
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  for (const db of ["CONTROL_DB", "TENANT_DB_S0"]) {
    log(`applying local migrations to ${db}`);
    run("wrangler", ["d1", "migrations", "apply", db, "--local", ...persist], { stdio: ["ignore", "ignore", "inherit"] });
  }
}

/** Starts `wrangler dev` on loopback; resolves once /api/v1/status answers. */
export async function startWrangler({ port, persistTo, envFile, inspectorPort, quiet = false }) {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"];
  if (persistTo) args.push("--persist-to", persistTo);
  if (envFile) args.push("--env-file", envFile);
  if (inspectorPort) args.push("--inspector-port", String(inspectorPort));
  const child = spawn(path.join(BIN, "wrangler"), args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", quiet ? "ignore" : "inherit", quiet ? "pipe" : "inherit"],
    detached: process.platform !== "win32",
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early (${child.exitCode}).\n${stderr}`);
    try {
      const res = await fetch(`${base}/api/v1/status`);
      if (res.ok) return { child, base, stop: () => stopChild(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  stopChild(child);
  throw new Error(`wrangler dev did not answer on ${base} within 90 s.\n${stderr}`);
}

export function stopChild(child) {
  if (child.exitCode !== null) return;
  try {
    // The whole process group: wrangler starts workerd as a child.
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
}

/** Demo data through the operator API (the same code path as production). */
export async function seedDemo(base, operatorToken) {
  const res = await fetch(`${base}/api/v1/operator/tenants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${operatorToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ slug: "demo", name: "デモ制作株式会社 (Demo Productions)", adminEmail: "admin@demo.kura.test" }),
  });
  if (res.status === 201) return "created";
  if (res.status === 409) return "exists";
  throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
}
