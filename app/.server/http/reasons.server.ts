/**
 * The reasons a thrown contract error carries (ADR 0020), kept beside the
 * Response instead of in it: the API writes the Response's JSON as it is, so
 * a reason can never leak into the contract's body. Weakly held: a reason
 * lives exactly as long as its Response.
 */
import type { Because } from "~/schemas/error-reasons";
import type { FieldError } from "./validation.server";

export type ErrorReasons = { because?: Because; fields?: FieldError[] };

const reasons = new WeakMap<Response, ErrorReasons>();

export function attachReasons(response: Response, r: ErrorReasons): Response {
  if (r.because || r.fields) reasons.set(response, r);
  return response;
}

/** What `fail` attached to this Response: nothing for Responses built elsewhere. */
export function reasonsOf(response: Response): ErrorReasons {
  return reasons.get(response) ?? {};
}
