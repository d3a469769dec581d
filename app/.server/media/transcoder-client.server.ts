import type { KuraEnv } from "../env/env";

/**
 * How the Worker reaches the transcoder (ADR 0030): the same HTTP contract everywhere. Where it
 * listens is TRANSCODER_URL: a base URL (a local process in development and tests, or any host),
 * or "container" for the Cloudflare Container bound as TRANSCODER_CONTAINER (production). Only this
 * module knows the difference.
 */

/** TRANSCODER_URL's value that means the Container binding. */
export const CONTAINER_TARGET = "container";
const DEFAULT_INSTANCES = 4;
const instanceName = (index: number) => `transcoder-${index}`;

function usesContainer(env: KuraEnv): boolean {
  return env.TRANSCODER_URL?.trim() === CONTAINER_TARGET;
}

/**
 * What is wrong with a set TRANSCODER_URL: "malformed" when it is neither an http(s) URL nor
 * "container", "missing" when it is "container" but the Container binding is not there.
 */
export function transcoderTargetProblem(env: KuraEnv): "malformed" | "missing" | null {
  const value = env.TRANSCODER_URL?.trim() ?? "";
  if (value === CONTAINER_TARGET) return env.TRANSCODER_CONTAINER ? null : "missing";
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) ? null : "malformed";
}

/** Whether jobs can be handed out: TRANSCODER_URL is set and usable. */
export function transcoderConfigured(env: KuraEnv): boolean {
  return Boolean(env.TRANSCODER_URL) && transcoderTargetProblem(env) === null;
}

/** How many container instances jobs are spread over (TRANSCODER_INSTANCES, 1–100). */
export function containerInstances(env: KuraEnv): number {
  const n = Number(env.TRANSCODER_INSTANCES);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : DEFAULT_INSTANCES;
}

/**
 * The container instance a job goes to. Every hand-out of the same job (a retry, the sweep) must
 * reach the instance that may already hold it, which recognises it by id, so the choice is a hash
 * of the job id (FNV-1a) rather than a random pick.
 */
export function instanceForJob(jobId: string, instances: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) {
    hash ^= jobId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return instanceName(hash % instances);
}

function transcoderFetch(env: KuraEnv, path: string, init: RequestInit, jobId = ""): Promise<Response> {
  if (usesContainer(env)) {
    const stub = env.TRANSCODER_CONTAINER!.getByName(instanceForJob(jobId, containerInstances(env)));
    return stub.fetch(new Request(`http://transcoder${path}`, init));
  }
  return fetch(`${env.TRANSCODER_URL!.replace(/\/+$/, "")}${path}`, init);
}

const headers = (env: KuraEnv): HeadersInit => ({
  "Content-Type": "application/json",
  ...(env.TRANSCODER_TOKEN ? { Authorization: `Bearer ${env.TRANSCODER_TOKEN}` } : {}),
});

/**
 * Hands a job to the transcoder. "accepted" (202, also for a job it already holds), "rejected"
 * (400: a request it will never take); anything else throws, so the queue tries again later.
 */
export async function sendToTranscoder(env: KuraEnv, job: { jobId: string }): Promise<"accepted" | "rejected"> {
  const response = await transcoderFetch(
    env,
    "/jobs",
    { method: "POST", headers: headers(env), body: JSON.stringify(job), signal: AbortSignal.timeout(10_000) },
    job.jobId,
  );
  const status = response.status;
  await response.body?.cancel();
  if (status === 202) return "accepted";
  if (status === 400) return "rejected";
  throw new Error(`the transcoder answered ${status}`);
}

/**
 * The transcoder's health for the status page: null when none is configured. Containers scale to
 * zero, so a stopped instance is healthy and is not started by the check; one that exited with an
 * error is reported.
 */
export async function transcoderHealth(env: KuraEnv, timeoutMs: number): Promise<{ ok: boolean; detail?: string } | null> {
  if (!transcoderConfigured(env)) return null;
  try {
    if (usesContainer(env)) return await containerHealth(env, timeoutMs);
    const response = await fetch(`${env.TRANSCODER_URL!.replace(/\/+$/, "")}/health`, { headers: headers(env), signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { status?: string };
    return response.ok ? { ok: true } : { ok: false, detail: body.status ?? `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable" };
  }
}

async function containerHealth(env: KuraEnv, timeoutMs: number): Promise<{ ok: boolean; detail?: string }> {
  const names = Array.from({ length: containerInstances(env) }, (_, i) => instanceName(i));
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error("timed out"), { name: "TimeoutError" })), timeoutMs));
  const states = await Promise.race([Promise.all(names.map((name) => env.TRANSCODER_CONTAINER!.getByName(name).getState())), timeout]);
  const crashed = states.filter((state) => state.status === "stopped_with_code" && state.exitCode !== 0).length;
  return crashed === 0 ? { ok: true } : { ok: false, detail: `${crashed} of ${names.length} instances exited with an error` };
}
