/**
 * Helpers for UI actions: domain functions throw contract error Responses
 * ({"error": {code, message, details}}); actions catch them and re-render the
 * form with a localised message instead of showing an error page.
 */
import type { FieldError } from "../http/validation.server";
import type { ErrorCode } from "~/schemas/error-codes";
import type { FormError, FormFailure, FormSuccess, Params, UiText } from "~/components/form-types";
import { isMessageKey, type MessageKey } from "~/i18n/messages";
import { PASSWORD_PROBLEM_MESSAGES } from "../identity/errors.server";
import { FIELD_MESSAGES } from "~/schemas/names";

export type { FormError, FormFailure, FormSuccess, Params, UiText };

/** Known English messages of the domain layer, mapped to localised keys. */
const DOMAIN_FIELD_MESSAGES: Record<string, MessageKey> = {
  [PASSWORD_PROBLEM_MESSAGES.too_short]: "v.password.tooShort",
  [PASSWORD_PROBLEM_MESSAGES.too_long]: "v.password.tooLong",
  [PASSWORD_PROBLEM_MESSAGES.too_common]: "v.password.tooCommon",
  "The password is not correct.": "v.password.incorrect",
  "Not an IPv4/IPv6 address or CIDR range.": "v.cidr",
  "Unknown role.": "v.role",
  "Must be text.": "v.meta.text",
  "Must be a number.": "v.meta.number",
  "Must be true or false.": "v.meta.boolean",
  "Must be a date (YYYY-MM-DD).": "v.meta.date",
  "Must be a date and time with a time zone (ISO 8601).": "v.meta.datetime",
  "Not a valid date and time.": "v.meta.datetime",
  "Must be a URL.": "v.meta.url",
  "Must be an http(s) URL.": "v.meta.url",
  "Must be an e-mail address.": "v.meta.email",
  "Must be a single line.": "v.meta.singleLine",
  "May not contain control characters.": "v.meta.control",
  "Must be a list of options.": "v.meta.options",
  "No metadata field has this key.": "v.meta.unknown",
  // The shared field schemas' messages (app/schemas/names.ts): one rule, translated here for the forms.
  [FIELD_MESSAGES.nameRequired]: "v.required",
  [FIELD_MESSAGES.nameTooLong]: "v.tooLong",
  [FIELD_MESSAGES.nameSeparator]: "v.nameSlash",
  [FIELD_MESSAGES.nameUnsafe]: "v.nameInvalid",
  [FIELD_MESSAGES.nameDots]: "v.nameInvalid",
  [FIELD_MESSAGES.tagEmpty]: "v.required",
  [FIELD_MESSAGES.tagTooLong]: "v.tooLong",
  [FIELD_MESSAGES.tagUnsafe]: "v.nameInvalid",
  [FIELD_MESSAGES.searchUnsafe]: "v.meta.control",
  [FIELD_MESSAGES.fieldKey]: "v.fieldKey",
};

/** Domain messages with a value in them (metadata values checked against their field). */
const DOMAIN_FIELD_PATTERNS: [RegExp, (m: RegExpExecArray) => UiText][] = [
  [/^Must be one of: /, () => ({ key: "v.meta.options" })],
  [/^Not an option: /, () => ({ key: "v.meta.options" })],
  [/^At most (\d+) characters\.$/, (m) => ({ key: "v.meta.max", params: { max: Number(m[1]) } })],
];

const CONFLICT_MESSAGES: [RegExp, MessageKey][] = [
  [/last tenant administrator/i, "err.lastAdmin"],
  [/user with this e-mail already exists/i, "err.duplicateEmail"],
  [/built-in role already has this name|role with this name already exists/i, "err.duplicateRole"],
  [/role is still granted/i, "err.roleInUse"],
  [/group with this name already exists/i, "err.duplicateGroup"],
  [/two-factor authentication is already enabled/i, "err.totpAlreadyEnabled"],
  [/two-factor authentication is not enabled/i, "err.totpNotEnabled"],
  [/start enrolment first/i, "err.totpNotStarted"],
  [/only empty folders can be deleted/i, "err.folderNotEmpty"],
  [/folder named .* already exists/i, "err.folderExists"],
  [/cannot be moved into itself/i, "err.folderCycle"],
  [/folders nest at most/i, "err.folderDepth"],
  [/saved search named/i, "err.savedSearchExists"],
  [/field with the key .* already exists/i, "err.fieldKeyExists"],
];

export function fieldText(message: string): UiText {
  if (isMessageKey(message)) return { key: message };
  // An own-property lookup: a message such as "constructor" is not a key of Object.prototype here.
  if (Object.hasOwn(DOMAIN_FIELD_MESSAGES, message)) return { key: DOMAIN_FIELD_MESSAGES[message]! };
  for (const [re, text] of DOMAIN_FIELD_PATTERNS) {
    const m = re.exec(message);
    if (m) return text(m);
  }
  return { text: message };
}

export function fieldErrors(errors: FieldError[]): Record<string, UiText> {
  const out: Record<string, UiText> = {};
  for (const e of errors) {
    const path = e.path || "_form";
    if (!out[path]) out[path] = fieldText(e.message);
  }
  return out;
}

function messageFor(code: ErrorCode, message: string, retryAfter: number | null): UiText {
  switch (code) {
    case "rate_limited":
      return { key: "err.rate_limited", params: { seconds: retryAfter ?? 60 } };
    case "conflict": {
      const lockout = /own IP address \(([^)]*)\)/.exec(message);
      if (lockout) return { key: "err.lockout", params: { ip: lockout[1] ?? "" } };
      const known = CONFLICT_MESSAGES.find(([re]) => re.test(message));
      return { key: known ? known[1] : "err.conflict" };
    }
    case "bad_request":
      if (/link is invalid, used or expired/i.test(message)) return { key: "err.linkInvalid" };
      return { key: "err.bad_request" };
    case "invalid_credentials":
      if (/sign-in has expired/i.test(message)) return { key: "err.challengeExpired" };
      return { key: "err.invalid_credentials" };
    default:
      return isMessageKey(`err.${code}`) ? { key: `err.${code}` as MessageKey } : { key: "err.unknown" };
  }
}

/**
 * Turns a thrown contract error into a FormError. Anything else (redirects,
 * programming errors, non-JSON responses) is rethrown untouched.
 */
export async function toFormError(error: unknown): Promise<FormError> {
  if (!(error instanceof Response) || error.status < 400) throw error;
  let body: { error?: { code?: ErrorCode; message?: string; details?: unknown } };
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
  const details = Array.isArray(body.error?.details) ? (body.error!.details as FieldError[]) : [];
  return {
    code,
    message: messageFor(code, body.error?.message ?? "", Number.isFinite(retry) && retry > 0 ? retry : null),
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
