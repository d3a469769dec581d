/**
 * Helpers for UI actions: domain functions throw contract error Responses
 * ({"error": {code, message, details}}); actions catch them and re-render the
 * form with a localised message instead of showing an error page. The text
 * comes from the error's reason (ADR 0020) or its code, never from its
 * English message.
 */
import type { FieldError } from "../http/validation.server";
import { reasonsOf } from "../http/reasons.server";
import type { ErrorCode } from "~/schemas/error-codes";
import type { Because } from "~/schemas/error-reasons";
import type { FormError, FormFailure, FormSuccess, Params, UiText } from "~/components/form-types";
import { isMessageKey, type MessageKey } from "~/i18n/messages";
import { reasonText } from "./reason-messages.server";

export type { FormError, FormFailure, FormSuccess, Params, UiText };

/**
 * A field error's text: its reason's message; else its message when the
 * form's own schema wrote a message key (app/schemas/forms/*.ts); else the
 * message as it is.
 */
export function fieldText(error: FieldError): UiText {
  if (error.reason) return reasonText(error as Because);
  if (isMessageKey(error.message)) return { key: error.message };
  return { text: error.message };
}

export function fieldErrors(errors: FieldError[]): Record<string, UiText> {
  const out: Record<string, UiText> = {};
  for (const e of errors) {
    const path = e.path || "_form";
    if (!out[path]) out[path] = fieldText(e);
  }
  return out;
}

/**
 * A 429's wait as people say it: rounded up to a whole minute or hour
 * ("about 15 minutes" for a Retry-After of 892 s), never a count of seconds.
 */
export function waitText(retryAfterSeconds: number | null): UiText {
  if (retryAfterSeconds === null) return { key: "err.rate_limited" };
  if (retryAfterSeconds <= 60) return { key: "err.rate_limited.minute" };
  if (retryAfterSeconds <= 3600) return { key: "err.rate_limited.minutes", params: { count: Math.ceil(retryAfterSeconds / 60) } };
  return { key: "err.rate_limited.hours", params: { count: Math.ceil(retryAfterSeconds / 3600) } };
}

function messageFor(code: ErrorCode, because: Because | undefined, retryAfter: number | null): UiText {
  if (because) return reasonText(because);
  if (code === "rate_limited") return waitText(retryAfter);
  return isMessageKey(`err.${code}`) ? { key: `err.${code}` as MessageKey } : { key: "err.unknown" };
}

/**
 * Turns a thrown contract error into a FormError. Anything else (redirects,
 * programming errors, non-JSON responses) is rethrown untouched.
 */
export async function toFormError(error: unknown): Promise<FormError> {
  if (!(error instanceof Response) || error.status < 400) throw error;
  let body: { error?: { code?: ErrorCode; details?: unknown } };
  try {
    body = await error.clone().json();
  } catch {
    throw error;
  }
  const code = body.error?.code;
  if (!code) throw error;
  // Not found / forbidden keep their error pages: the form is not the problem.
  if (code === "not_found" || code === "forbidden" || code === "unauthenticated") throw error;
  const retry = Number(error.headers.get("Retry-After"));
  const reasons = reasonsOf(error);
  const details = reasons.fields ?? (Array.isArray(body.error?.details) ? (body.error!.details as FieldError[]) : []);
  return {
    code,
    message: messageFor(code, reasons.because, Number.isFinite(retry) && retry > 0 ? retry : null),
    fields: fieldErrors(details),
  };
}

/**
 * The form's `intent` when it names one of the page's own buttons: an own key
 * of `table` (so "constructor" or "__proto__" is never found on
 * Object.prototype), with its value; else null.
 */
export function intentOf<K extends string, V>(formData: FormData, table: Record<K, V>): { intent: K; value: V } | null {
  const intent = formData.get("intent");
  if (typeof intent !== "string" || !Object.hasOwn(table, intent)) return null;
  return { intent: intent as K, value: table[intent as K] };
}

/** What the user typed, minus anything secret, to refill the form. */
export function keptValues(formData: FormData, omit: readonly string[] = []): Record<string, string> {
  const secret = /password|otp|code|token|challenge|secret/i;
  const out: Record<string, string> = {};
  for (const [k, v] of formData.entries()) {
    if (typeof v !== "string" || omit.includes(k) || secret.test(k)) continue;
    // Repeated keys (checkbox groups) are kept comma-separated.
    out[k] = out[k] === undefined ? v.slice(0, 4096) : `${out[k]},${v.slice(0, 4096)}`;
  }
  return out;
}

export function failure(form: string, error: FormError, formData: FormData, omit: readonly string[] = []): FormFailure {
  return { ok: false, form, error, values: keptValues(formData, omit) };
}

export function validationFailure(form: string, errors: FieldError[], formData: FormData, omit: readonly string[] = []): FormFailure {
  return failure(form, { code: "validation_failed", message: { key: "err.validation_failed" }, fields: fieldErrors(errors) }, formData, omit);
}

/** Runs a domain call; contract errors become a FormFailure for `form`. */
export async function attempt<T>(
  form: string,
  formData: FormData,
  run: () => Promise<T>,
  omit: readonly string[] = [],
): Promise<{ ok: true; value: T } | FormFailure> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return failure(form, await toFormError(error), formData, omit);
  }
}
