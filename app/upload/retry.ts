import { isAbortError, type TransportResponse } from "./transport";

/** An HTTP answer that is not a success, with the contract's error code when the body has one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function httpErrorOf(response: TransportResponse): HttpError {
  let code = `http_${response.status}`;
  let message = `HTTP ${response.status}`;
  let details: unknown;
  try {
    const body = JSON.parse(response.text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code;
    if (typeof body.error?.message === "string") message = body.error.message;
    details = body.error?.details;
  } catch {
    // not JSON: keep the status
  }
  return new HttpError(response.status, code, message, retryAfterMs(response.header("Retry-After")), details);
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Network failures, 5xx, 408 and 429 are worth another try; other 4xx are final; an abort never retries. */
export function isRetryable(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof HttpError) return error.status >= 500 || error.status === 408 || error.status === 429;
  return error instanceof TypeError; // fetch and our XHR transport reject with TypeError on network failure
}

export type RetryPolicy = {
  /** Further attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

/** A longer Retry-After than this is not waited for in full (the user sees progress stall, not hang). */
export const MAX_RETRY_AFTER_MS = 120_000;

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Exponential backoff with full jitter, unless the server said how long to wait. */
export function backoffMs(policy: RetryPolicy, attempt: number, error: unknown, random = Math.random): number {
  if (error instanceof HttpError && error.retryAfterMs !== null) return Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException("The request was aborted.", "AbortError"));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException("The request was aborted.", "AbortError"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Runs `attempt` until it succeeds, fails for good, or the retries are spent. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  p: { policy: RetryPolicy; sleep: Sleep; signal?: AbortSignal; onRetry?: (error: unknown, delayMs: number) => void },
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= p.policy.retries || !isRetryable(error) || p.signal?.aborted) throw error;
      const delay = backoffMs(p.policy, n, error);
      p.onRetry?.(error, delay);
      await p.sleep(delay, p.signal);
    }
  }
}
