import type { KuraEnv } from "../env/env";

/**
 * How the Worker reaches the transcoder (ADR 0030): the same HTTP contract everywhere, at
 * TRANSCODER_URL (a local process in development and tests; in production the Container's
 * address). Only this module knows where it is.
 */

export function transcoderConfigured(env: KuraEnv): boolean {
  return Boolean(env.TRANSCODER_URL);
}

function endpoint(env: KuraEnv, path: string): string {
  return `${env.TRANSCODER_URL!.replace(/\/+$/, "")}${path}`;
}

const headers = (env: KuraEnv): HeadersInit => ({
  "Content-Type": "application/json",
  ...(env.TRANSCODER_TOKEN ? { Authorization: `Bearer ${env.TRANSCODER_TOKEN}` } : {}),
});

/**
 * Hands a job to the transcoder. "accepted" (202, also for a job it already holds), "rejected"
 * (400: a request it will never take); anything else throws, so the queue tries again later.
 */
export async function sendToTranscoder(env: KuraEnv, job: unknown): Promise<"accepted" | "rejected"> {
  const response = await fetch(endpoint(env, "/jobs"), {
    method: "POST",
    headers: headers(env),
    body: JSON.stringify(job),
    signal: AbortSignal.timeout(10_000),
  });
  const status = response.status;
  await response.body?.cancel();
  if (status === 202) return "accepted";
  if (status === 400) return "rejected";
  throw new Error(`the transcoder answered ${status}`);
}

/** The transcoder's health for the status page: null when none is configured. */
export async function transcoderHealth(env: KuraEnv, timeoutMs: number): Promise<{ ok: boolean; detail?: string } | null> {
  if (!transcoderConfigured(env)) return null;
  try {
    const response = await fetch(endpoint(env, "/health"), { headers: headers(env), signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { status?: string };
    return response.ok ? { ok: true } : { ok: false, detail: body.status ?? `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable" };
  }
}
