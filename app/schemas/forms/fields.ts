/**
 * Field schemas for the UI forms. Error messages are i18n message keys
 * (app/i18n/messages.ts), translated in the browser.
 */
import { z } from "zod";
import { CAPABILITIES } from "~/policy/capabilities";
import { TENANT_SLUG } from "../tenant";

export { TENANT_SLUG };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A field of the API on a form: the API's own schema, with a missing input
 * read as "" (so "required" says so). The action shows each issue's reason
 * localised (ADR 0020; fieldText in app/.server/ui/forms.server.ts).
 */
export const formField = <S extends z.ZodType>(schema: S) => z.preprocess((v) => v ?? "", schema);

/** An optional field of the API on a form: an empty input means "not given". */
export const optionalFormField = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const requiredText = (max: number) => z.string({ error: "v.required" }).trim().min(1, "v.required").max(max, "v.tooLong");

export const tenantSlug = z.string({ error: "v.required" }).trim().toLowerCase().min(1, "v.required").regex(TENANT_SLUG, "v.slug");

export const email = z.string({ error: "v.required" }).trim().toLowerCase().min(1, "v.required").max(254, "v.tooLong").regex(EMAIL, "v.email");

/** A password being checked (any length the hasher accepts). */
export const password = z.string({ error: "v.required" }).min(1, "v.required").max(1024, "v.tooLong");

/** A new password: the server applies the full policy (common passwords too). */
export const newPassword = z.string({ error: "v.required" }).min(12, "v.password.tooShort").max(256, "v.password.tooLong");

export const id = z.string({ error: "v.required" }).trim().min(1, "v.required").max(128, "v.tooLong");

export const tenantRole = z.enum(["tenant_admin", "user"], { error: "v.required" });

export const locale = z.enum(["ja", "en"], { error: "v.required" });

/** An HTML checkbox: present ("on") or absent. */
export const checkbox = z
  .enum(["on", "true"])
  .optional()
  .transform((v) => v !== undefined);

/** Repeated checkbox values (none, one or many) as a list of capabilities. */
export const capabilities = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(CAPABILITIES, { error: "v.capability" })));

/** A same-site relative path: no scheme or host, no whitespace, no control characters. */
// eslint-disable-next-line no-control-regex -- the point of the pattern is to refuse control characters
export const SAME_SITE_PATH = /^\/(?![/\\])[^\s\u0000-\u001f\u007f]*$/;

/** Same-site relative path for ?redirectTo= (anything else becomes the default). */
export const redirectTo = z.string().regex(SAME_SITE_PATH).max(2048).optional().catch(undefined);
