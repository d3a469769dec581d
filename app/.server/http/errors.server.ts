/**
 * The API error format of contract/api-v1.md:
 *   {"error": {"code", "message", "details"?}}
 * Each code has exactly one status, so callers name the code only. A reason
 * (app/schemas/error-reasons.ts) travels beside the Response, never in it.
 */
import { ERROR_STATUS, type ErrorCode } from "~/schemas/error-codes";
import type { Because, NoReason } from "~/schemas/error-reasons";
import { attachReasons } from "./reasons.server";
import type { FieldError } from "./validation.server";

export { ERROR_STATUS, type ErrorCode };

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};

export type ErrorOptions = {
  /** Other details, an object; field errors go in `fields` (a list here is refused by the type). */
  details?: Record<string, unknown>;
  /** Field errors: written as `details` [{path, message}]; their reasons stay on the server. */
  fields?: FieldError[];
  headers?: HeadersInit;
} & (Because | NoReason);

export function apiError(code: ErrorCode, message: string, options: ErrorOptions = {}): Response {
  const body: ErrorBody = { error: { code, message } };
  const details = options.fields ? options.fields.map(({ path, message }) => ({ path, message })) : options.details;
  if (details !== undefined) body.error.details = details;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  const response = new Response(JSON.stringify(body), { status: ERROR_STATUS[code], headers });
  const because = options.reason ? ({ reason: options.reason, params: options.params } as Because) : undefined;
  return attachReasons(response, { ...(because ? { because } : {}), ...(options.fields ? { fields: options.fields } : {}) });
}

/** Throw from a loader/action: Remix returns a thrown Response as is. */
export function fail(code: ErrorCode, message: string, options?: ErrorOptions): never {
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
