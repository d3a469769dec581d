import type { z } from "zod";
import type { Because, NoReason } from "~/schemas/error-reasons";
import { fail } from "./errors.server";
import { issueReason } from "./issue-reasons.server";

/**
 * A field error: `path` and `message` are the contract's `details` items;
 * the reason (ADR 0020) stays on the server, for the UI's localised text.
 */
export type FieldError = { path: string; message: string } & (Because | NoReason);

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    ...issueReason(issue),
  }));
}

function validate<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    fail("validation_failed", `The ${where} is not valid.`, { fields: toFieldErrors(result.error) });
  }
  return result.data;
}

/** Default ceiling for JSON bodies; uploads use their own streaming paths. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body under a byte ceiling (counted while streaming, so a lying
 * Content-Length does not help), then validates it.
 */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = MAX_JSON_BODY_BYTES): Promise<z.output<S>> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    fail("bad_request", "The body must be JSON (Content-Type: application/json).");
  }
  const bytes = await readBodyWithin(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    fail("bad_request", "The body is not valid UTF-8.");
  }
  let value: unknown;
  try {
    value = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    fail("bad_request", "The body is not valid JSON.");
  }
  return validate(schema, value, "request body");
}

/**
 * The body's bytes under a ceiling: a declared Content-Length over it is refused before reading,
 * and the bytes are counted while streaming (a lying or missing length does not help). 413 past it.
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) fail("too_large", `The body is over ${maxBytes} bytes.`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      fail("too_large", `The body is over ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Repeated keys become arrays; single keys stay strings. Built with
 * Object.fromEntries, so a key such as "__proto__" is an own property (a
 * strict schema refuses it) and never the object's prototype.
 */
export function searchParamsToObject(params: URLSearchParams | FormData): Record<string, string | string[]> {
  return Object.fromEntries(
    [...new Set(params.keys())].map((key) => {
      const all = params.getAll(key).filter((v): v is string => typeof v === "string");
      return [key, all.length > 1 ? all : all[0]];
    }),
  ) as Record<string, string | string[]>;
}

/**
 * Query strings already parsed, per request and schema: a route's prefetch
 * (ADR 0014) and its loader read the same one, and parse it once.
 */
const parsedQueries = new WeakMap<Request, Map<z.ZodType, unknown>>();

function rememberQuery<T>(request: Request, schema: z.ZodType, value: T): T {
  let bySchema = parsedQueries.get(request);
  if (!bySchema) parsedQueries.set(request, (bySchema = new Map()));
  bySchema.set(schema, value);
  return value;
}

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const known = parsedQueries.get(request)?.get(schema);
  if (known !== undefined) return known as z.output<S>;
  return rememberQuery(request, schema, validate(schema, searchParamsToObject(new URL(request.url).searchParams), "query string"));
}

/** parseQuery without the 400, for code that only looks ahead: null when the query string is invalid. */
export function queryIfValid<S extends z.ZodType>(request: Request, schema: S): z.output<S> | null {
  const known = parsedQueries.get(request)?.get(schema);
  if (known !== undefined) return known as z.output<S>;
  const result = schema.safeParse(searchParamsToObject(new URL(request.url).searchParams));
  return result.success ? rememberQuery(request, schema, result.data) : null;
}

export function parseParams<S extends z.ZodType>(params: unknown, schema: S): z.output<S> {
  // A malformed id can only name something that does not exist.
  const result = schema.safeParse(params);
  if (!result.success) fail("not_found", "Not found.");
  return result.data;
}

/**
 * Domain functions re-check what they store with the field's own schema
 * (app/schemas/names.ts), so that no caller (API route, page action, a job
 * written later) can skip the rule: 400 validation_failed naming `path`.
 */
export function checkField<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = toFieldErrors(result.error).map((e) => ({ ...e, path: [path, e.path].filter(Boolean).join(".") }));
    fail("validation_failed", "The request body is not valid.", { fields });
  }
  return result.data;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The body of a page form, for every page action and form resource route:
 * url-encoded or multipart and readable, with no NUL in any name or value.
 * Anything else is 400 bad_request (never a 500 from a parser, never a NUL
 * on its way to D1 or a header).
 */
export async function readFormData(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? "")) {
    fail("bad_request", "The body must be a form (application/x-www-form-urlencoded or multipart/form-data).");
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    fail("bad_request", "The form body could not be read.");
  }
  for (const [key, value] of form.entries()) {
    if (key.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) fail("bad_request", "Form fields may not contain NUL characters.");
  }
  return form;
}

/**
 * For UI forms: returns field errors instead of throwing, so the action can
 * re-render the form with messages and keep what the user typed.
 */
export function parseFormData<S extends z.ZodType>(formData: FormData, schema: S): { ok: true; data: z.output<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(searchParamsToObject(formData));
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: toFieldErrors(result.error) };
}
