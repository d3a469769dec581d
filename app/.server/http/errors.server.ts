/**
 * The API error format of contract/api-v1.md:
 *   {"error": {"code", "message", "details"?}}
 * Each code has exactly one status, so callers name the code only.
 */
import { ERROR_STATUS, type ErrorCode } from "~/schemas/error-codes";

export { ERROR_STATUS, type ErrorCode };

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};

export function apiError(
  code: ErrorCode,
  message: string,
  options: { details?: unknown; headers?: HeadersInit } = {},
): Response {
  const body: ErrorBody = { error: { code, message } };
  if (options.details !== undefined) body.error.details = options.details;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: ERROR_STATUS[code], headers });
}

/** Throw from a loader/action: Remix returns a thrown Response as is. */
export function fail(
  code: ErrorCode,
  message: string,
  options?: { details?: unknown; headers?: HeadersInit },
): never {
  throw apiError(code, message, options);
}

export function json(data: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(data), { status: init.status ?? 200, headers });
}

/** 204 for DELETEs and other bodiless successes. */
export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
