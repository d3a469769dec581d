#!/usr/bin/env node
// Kura's transcoder (ADR 0030): `node transcoder/main.mjs`. Configuration by environment:
//   PORT (8790), HOST (127.0.0.1; the container image sets 0.0.0.0), TRANSCODER_TOKEN (the bearer
//   token Kura sends; required outside loopback), MAX_JOBS (1), MAX_QUEUED (32), WORK_DIR (the OS
//   temporary directory), HEARTBEAT_MS (10000).
// Logs are JSON lines on stdout; they name jobs, never URLs (which carry signatures) or file bytes.
import { tmpdir } from "node:os";
import { createTranscoder } from "./src/server.mjs";

const env = process.env;
const port = Number(env.PORT ?? 8790);
const host = env.HOST ?? "127.0.0.1";
const token = env.TRANSCODER_TOKEN || null;
if (!token && host !== "127.0.0.1" && host !== "localhost") {
  process.stderr.write("TRANSCODER_TOKEN is required when listening beyond loopback\n");
  process.exit(1);
}
const log = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
const { server } = createTranscoder({
  token,
  maxJobs: Number(env.MAX_JOBS ?? 1),
  maxQueued: Number(env.MAX_QUEUED ?? 32),
  workDir: env.WORK_DIR ?? tmpdir(),
  heartbeatMs: Number(env.HEARTBEAT_MS ?? 10_000),
  log,
});
server.listen(port, host, () => log("listening", { host, port: server.address().port }));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
