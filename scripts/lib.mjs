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
  // Both are base64 of 32 random bytes: the data key, and the Ed25519 seed that signs deletion certificates.
  for (const name of ["DATA_ENCRYPTION_KEY", "CERTIFICATE_SIGNING_KEY", "TRANSCODER_SIGNING_KEY"]) {
    if (new RegExp(`^${name}=`, "m").test(readFileSync(file, "utf8"))) continue;
    appendFileSync(file, `${name}=${randomDataKey()}\n`);
    log(`added a random ${name} to .dev.vars`);
  }
  if (!/^TRANSCODER_TOKEN=/m.test(readFileSync(file, "utf8"))) {
    appendFileSync(file, `TRANSCODER_TOKEN=${randomToken()}\n`);
    log("added a random TRANSCODER_TOKEN to .dev.vars");
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

/** A value of .dev.vars (or another env file), or null. */
export function devVar(name, file = path.join(ROOT, ".dev.vars")) {
  return new RegExp(`^${name}=(.+)$`, "m").exec(readFileSync(file, "utf8"))?.[1]?.trim() ?? null;
}

/**
 * Starts `wrangler dev` on loopback; resolves once /api/v1/status answers. `vars` are plain
 * variables for this run (the transcoder's URL, the origin the transcoder calls back).
 */
export async function startWrangler({ port, persistTo, envFile, inspectorPort, quiet = false, vars = {}, cpus }) {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  if (persistTo) args.push("--persist-to", persistTo);
  if (envFile) args.push("--env-file", envFile);
  if (inspectorPort) args.push("--inspector-port", String(inspectorPort));
  // `cpus` (a benchmark's choice): wrangler and workerd on those CPUs only (taskset; children inherit it).
  const [command, commandArgs] = cpus ? ["taskset", ["-c", cpus, path.join(BIN, "wrangler"), ...args]] : [path.join(BIN, "wrangler"), args];
  const child = spawn(command, commandArgs, {
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

/**
 * Debian's ffmpeg (and libheif's heif-convert) for the transcoder: present, or installed with apt
 * as root, or a clear stop. Never skipped.
 */
export function ensureMediaTools() {
  const missing = ["/usr/bin/ffmpeg", "/usr/bin/ffprobe", "/usr/bin/heif-convert"].filter((f) => !existsSync(f));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    log(`The transcoder needs ${missing.join(", ")}:\n    sudo apt-get install -y ffmpeg libheif-examples\n  Stopping.`);
    process.exit(1);
  }
  log("installing Debian's ffmpeg and libheif-examples for the transcoder (apt-get)");
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "ffmpeg", "libheif-examples"]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) {
      log("apt-get could not install ffmpeg; the transcoder cannot run.");
      process.exit(1);
    }
  }
}

/** Starts the transcoder (transcoder/main.mjs) on loopback; resolves once /health answers. */
export async function startTranscoder({ port, token, quiet = false, maxJobs, cpus }) {
  ensureMediaTools();
  const main = path.join(ROOT, "transcoder", "main.mjs");
  const [command, commandArgs] = cpus ? ["taskset", ["-c", cpus, process.execPath, main]] : [process.execPath, [main]];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { ...childEnv, PORT: String(port), HOST: "127.0.0.1", TRANSCODER_TOKEN: token, ...(maxJobs ? { MAX_JOBS: String(maxJobs) } : {}) },
    stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
    detached: process.platform !== "win32",
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the transcoder exited early (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { child, base, stop: () => stopChild(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stopChild(child);
  throw new Error(`the transcoder did not answer on ${base} within 20 s`);
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

/** The demo users' shared password, kept in .dev.vars (git-ignored) so re-runs can print it. */
export function ensureDemoPassword() {
  const file = path.join(ROOT, ".dev.vars");
  const existing = /^DEMO_PASSWORD=(.+)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim();
  if (existing) return existing;
  const password = `demo-${randomBytes(9).toString("base64url")}`;
  appendFileSync(file, `DEMO_PASSWORD=${password}\n`);
  return password;
}

export const DEMO_TENANT = "demo";
export const DEMO_USERS = [
  { email: "admin@demo.kura.test", name: "管理 太郎 (Tenant admin)", tenantRole: "tenant_admin", projectRole: null },
  { email: "producer@demo.kura.test", name: "制作 花子 (Project admin)", tenantRole: "user", projectRole: "project_admin" },
  { email: "editor@demo.kura.test", name: "編集 次郎 (Member)", tenantRole: "user", projectRole: "member" },
  { email: "client@demo.kura.test", name: "Client Viewer", tenantRole: "user", projectRole: "viewer" },
];

async function api(base, path, { token, body, method = body ? "POST" : "GET" } = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : null };
}

function expectStatus(step, res, status) {
  if (res.status !== status) throw new Error(`seeding: ${step} gave ${res.status} ${JSON.stringify(res.data)}`);
  return res.data;
}

/**
 * Demo data through the public API (the same code paths as production): the
 * tenant, its first admin, a project admin, a member and a viewer, all with
 * the demo password, and one project where each holds their role.
 */
export async function seedDemo(base, operatorToken, password) {
  const created = await api(base, "/operator/tenants", {
    token: operatorToken,
    body: { slug: DEMO_TENANT, name: "デモ制作株式会社 (Demo Productions)", adminEmail: DEMO_USERS[0].email },
  });
  if (created.status === 409) return "exists";
  const { adminSetupToken } = expectStatus("create tenant", created, 201);
  expectStatus("admin setup", await api(base, "/auth/setup", { body: { token: adminSetupToken, password } }), 200);
  const { token } = expectStatus("admin login", await api(base, "/auth/login", { body: { tenant: DEMO_TENANT, email: DEMO_USERS[0].email, password } }), 200);
  await api(base, "/me", { token, method: "PATCH", body: { name: DEMO_USERS[0].name } });
  const project = expectStatus("project", await api(base, "/projects", { token, body: { name: "渋谷ロケ 2026 (Shibuya shoot)" } }), 201);
  expectStatus(
    "custom role",
    await api(base, "/roles", {
      token,
      body: { name: "レビュアー (Reviewer)", permissions: ["asset.view", "asset.download_proxy", "marker.edit"] },
    }),
    201,
  );
  for (const u of DEMO_USERS.slice(1)) {
    const invited = expectStatus(
      `invite ${u.email}`,
      await api(base, "/users", { token, body: { email: u.email, name: u.name, tenantRole: u.tenantRole } }),
      201,
    );
    expectStatus(`setup ${u.email}`, await api(base, "/auth/setup", { body: { token: invited.setupToken, password } }), 200);
    expectStatus(
      `grant ${u.email}`,
      await api(base, `/projects/${project.id}/members/${invited.user.id}`, { token, method: "PUT", body: { role: u.projectRole } }),
      200,
    );
  }
  await seedDemoAssets(base, token, project.id);
  await api(base, "/auth/logout", { token, method: "POST" });
  return "created";
}

/** Real media from test/fixtures/media (made with ffmpeg, or CC BY-SA camera files), in a folder, with metadata. */
const DEMO_MEDIA = [
  { file: "h264_1080p_2997_moov_end.mp4", name: "渋谷ロケ_A001_C001.mp4", tags: ["b-roll", "夜景"], scene: "スクランブル交差点" },
  { file: "tmcd_df_01000000.mov", name: "渋谷ロケ_A001_C002.mov", tags: ["interview"], scene: "ハチ公前" },
  { file: "wav_48k_stereo.wav", name: "環境音_渋谷駅.wav", tags: ["sound"], scene: "駅前" },
  { file: "jpg_gps_DSCN0010.jpg", name: "ロケハン写真_01.jpg", tags: ["location-scout"], scene: "候補地" },
  { file: "e2e_clip.mp4", name: "teaser_v1.mp4", tags: ["edit"], scene: "ティザー" },
];

async function seedDemoAssets(base, token, projectId) {
  for (const field of [
    { key: "scene", label: "シーン / Scene", type: "text" },
    { key: "take", label: "テイク / Take", type: "number" },
    { key: "status", label: "ステータス / Status", type: "select", options: ["draft", "review", "final"] },
  ]) {
    expectStatus(`field ${field.key}`, await api(base, "/metadata-fields", { token, body: field }), 201);
  }
  const folder = expectStatus("folder", await api(base, `/projects/${projectId}/folders`, { token, body: { name: "Day 1 渋谷" } }), 201);
  for (const [i, m] of DEMO_MEDIA.entries()) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(path.join(ROOT, "test", "fixtures", "media", m.file))]), m.name);
    form.set("folderId", folder.id);
    const res = await fetch(`${base}/api/v1/projects/${projectId}/assets`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
    const asset = await res.json();
    if (res.status !== 201) throw new Error(`seeding: upload ${m.name} gave ${res.status} ${JSON.stringify(asset)}`);
    expectStatus(
      `metadata ${m.name}`,
      await api(base, `/assets/${asset.id}`, { token, method: "PATCH", body: { tags: m.tags, metadata: { scene: m.scene, take: i + 1, status: "review" } } }),
      200,
    );
  }
}
