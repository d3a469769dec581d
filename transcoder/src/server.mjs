// The transcoder's HTTP contract (ADR 0030): POST /jobs queues a job and answers 202 at once;
// GET /health says whether ffmpeg is there and how busy the service is. The same code runs as a
// local process (development, tests) and in the Cloudflare Container image (production).
import { createServer } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { runJob } from "./job.mjs";
import { runTool } from "./tools.mjs";

const OUTPUT_NAMES = new Set(["proxy", "poster", "thumbnail", "filmstrip", "waveform", "preview"]);
const MAX_BODY = 64 * 1024;

/** The job request, checked by hand (the service has no dependencies); a message for the 400, or null. */
export function jobProblem(job) {
  if (!job || typeof job !== "object") return "the body must be a JSON object";
  if (typeof job.jobId !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(job.jobId)) return "jobId must be 8–64 letters, digits, _ or -";
  if (!Number.isInteger(job.attempt) || job.attempt < 1) return "attempt must be a positive integer";
  if (!job.source || !Number.isSafeInteger(job.source.size) || job.source.size < 0) return "source.size must be a byte count";
  const urls = [job.source.url, job.callback, ...Object.values(job.outputs ?? {})];
  if (!job.outputs || typeof job.outputs !== "object" || Object.keys(job.outputs).some((n) => !OUTPUT_NAMES.has(n)))
    return "outputs must map output names to URLs";
  let origin = null;
  for (const url of urls) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return "every URL must be absolute";
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "URLs must be http or https";
    // One job talks to one Kura: a request cannot send the transcoder anywhere else.
    if (origin !== null && parsed.origin !== origin) return "every URL of a job must have the same origin";
    origin = parsed.origin;
  }
  return null;
}

function sameSecret(given, expected) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/**
 * The service. `maxJobs` run at once (ffmpeg uses every core of the machine for one job), up to
 * `maxQueued` wait; beyond that a job gets 503 and Kura's queue tries again later. A job already
 * running or waiting (same id and attempt) is accepted again without a second run.
 */
export function createTranscoder({ token = null, maxJobs = 1, maxQueued = 32, workDir, heartbeatMs, log = () => {} }) {
  const waiting = [];
  const known = new Map();
  let running = 0;

  const pump = () => {
    while (running < maxJobs && waiting.length > 0) {
      const job = waiting.shift();
      const key = `${job.jobId}:${job.attempt}`;
      known.set(key, "running");
      running++;
      const started = Date.now();
      log("job_started", { jobId: job.jobId, attempt: job.attempt });
      runJob(job, { workDir, heartbeatMs, log })
        .then((outcome) => log("job_finished", { jobId: job.jobId, attempt: job.attempt, outcome, ms: Date.now() - started }))
        .catch((error) => log("job_crashed", { jobId: job.jobId, error: String(error) }))
        .finally(() => {
          running--;
          known.delete(key);
          pump();
        });
    }
  };

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://transcoder");
      if (request.method === "GET" && url.pathname === "/health") {
        const { stdout } = await runTool("ffmpeg", ["-hide_banner", "-version"]).catch(() => ({ stdout: "" }));
        const ffmpeg = stdout.split("\n")[0] || null;
        return send(response, ffmpeg ? 200 : 503, { status: ffmpeg ? "ok" : "no_ffmpeg", ffmpeg, running, waiting: waiting.length, maxJobs });
      }
      if (url.pathname !== "/jobs") return send(response, 404, { error: "not_found" });
      if (request.method !== "POST") return send(response, 405, { error: "method_not_allowed" });
      if (token && !sameSecret(request.headers.authorization ?? "", `Bearer ${token}`)) return send(response, 401, { error: "unauthorized" });
      let job;
      try {
        job = JSON.parse(await readBody(request));
      } catch {
        return send(response, 400, { error: "bad_request", message: "the body must be JSON of at most 64 KiB" });
      }
      const problem = jobProblem(job);
      if (problem) return send(response, 400, { error: "bad_request", message: problem });
      const key = `${job.jobId}:${job.attempt}`;
      if (known.has(key)) return send(response, 202, { accepted: true, state: known.get(key) });
      if (waiting.length >= maxQueued) return send(response, 503, { error: "busy", running, waiting: waiting.length }, { "Retry-After": "30" });
      known.set(key, "waiting");
      waiting.push(job);
      pump();
      return send(response, 202, { accepted: true, state: known.get(key) });
    } catch (error) {
      log("request_failed", { error: String(error) });
      if (!response.headersSent) send(response, 500, { error: "internal_error" });
    }
  });
  return { server, stats: () => ({ running, waiting: waiting.length }) };
}
