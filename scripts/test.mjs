#!/usr/bin/env node
// `npm test`: the Node-only unit project (no build needed), lint and format
// checks, then build, type-check, integration tests inside workerd, then e2e in Chromium. Ends with
// one summary line counting every test of the three suites.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { build, childEnv, log, ROOT, run } from "./lib.mjs";

const RESULTS = path.join(ROOT, "test-results");
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

function counts(file) {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, "utf8"));
  return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0), skipped: r.numPendingTests + r.numTodoTests };
}

function summary(status) {
  const all = ["unit.json", "integration.json", "e2e.json"].map((f) => counts(path.join(RESULTS, f)));
  const total = all.reduce((t, c) => ({ passed: t.passed + (c?.passed ?? 0), failed: t.failed + (c?.failed ?? 0), skipped: t.skipped + (c?.skipped ?? 0) }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });
  if (all.some((c) => c === null) && status !== 0) total.failed = Math.max(total.failed, 1);
  process.stdout.write(`\ntests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}\n`);
  process.exit(status !== 0 || total.failed > 0 || total.skipped > 0 ? 1 : 0);
}

const reporters = (name) => ["--reporter=default", "--reporter=json", `--outputFile.json=${path.join(RESULTS, name)}`];
const vitest = path.join(ROOT, "node_modules", ".bin", "vitest");

// Pure modules first: seconds, and a parser bug fails the run before the slow suites start.
log("unit tests (Node: parsers, timecode, upload engine units, schemas)");
const unit = spawnSync(vitest, ["run", "--config", "vitest.unit.config.ts", ...reporters("unit.json")], { cwd: ROOT, stdio: "inherit", env: childEnv });
if (unit.status !== 0) summary(unit.status ?? 1);

log("lint (ESLint) and format (Prettier --check)");
run("eslint", ["."]);
run("prettier", ["--check", "--log-level", "warn", "."]);

build();
log("type-checking");
run("tsc", ["--noEmit"]);

log("integration tests (workerd: real local D1, R2, Durable Objects)");
const integration = spawnSync(vitest, ["run", "--config", "vitest.config.ts", ...reporters("integration.json")], {
  cwd: ROOT,
  stdio: "inherit",
  env: childEnv,
});
if (integration.status !== 0) summary(integration.status ?? 1);

log("end-to-end tests (Chromium against wrangler dev)");
const e2e = spawnSync(process.execPath, [path.join(ROOT, "scripts", "e2e.mjs"), ...reporters("e2e.json")], { cwd: ROOT, stdio: "inherit", env: childEnv });
summary(e2e.status ?? 1);
