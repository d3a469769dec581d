#!/usr/bin/env node
// `npm test`: build, integration tests inside workerd, then e2e in Chromium.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build, childEnv, log, ROOT, run } from "./lib.mjs";

build();
log("type-checking");
run("tsc", ["--noEmit"]);
log("integration tests (workerd: real local D1, R2, Durable Objects)");
run("vitest", ["run", "--config", "vitest.config.ts"]);
log("end-to-end tests (Chromium against wrangler dev)");
const e2e = spawnSync(process.execPath, [path.join(ROOT, "scripts", "e2e.mjs")], { cwd: ROOT, stdio: "inherit", env: childEnv });
process.exit(e2e.status ?? 1);
