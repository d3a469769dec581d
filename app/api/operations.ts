import type { z } from "zod";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type ApiResponseSpec = { description: string; schema?: z.ZodType; contentType?: string };

export type ApiOperation = {
  summary: string;
  description?: string;
  tags: string[];
  /** Path parameters; names must match the route's `:param` segments. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A body that is not JSON (file bytes, multipart forms); read by the handler itself. `also`: other types it accepts. */
  rawBody?: { contentType: string; description: string; schema?: Record<string, unknown>; also?: { contentType: string; schema?: Record<string, unknown> }[] };
  responses: Record<number, ApiResponseSpec>;
};

const BRAND = Symbol.for("kura.api-operations");

export type ApiOperations = { readonly [BRAND]: true } & Partial<Record<HttpMethod, ApiOperation>>;

/**
 * An API route module exports `api = defineApi({...})`. The same schemas
 * validate the request in the loader/action and describe it in
 * /api/v1/openapi.json, so the document cannot drift from the code.
 */
export function defineApi<T extends Partial<Record<HttpMethod, ApiOperation>>>(ops: T): T & { readonly [BRAND]: true } {
  return Object.freeze({ ...ops, [BRAND]: true as const });
}

export function isApiOperations(value: unknown): value is ApiOperations {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export function operationsOf(api: ApiOperations): [HttpMethod, ApiOperation][] {
  return HTTP_METHODS.flatMap((m) => (api[m] ? [[m, api[m]] as [HttpMethod, ApiOperation]] : []));
}
