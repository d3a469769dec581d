import { eq } from "drizzle-orm";
import { searchTextFrom } from "../assets/search-text.server";
import { metadataFields } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import type { FieldError } from "../http/validation.server";
import type { Because } from "~/schemas/error-reasons";

/**
 * Typed user-metadata values (assets and folders). The tenant's field
 * definitions decide what each key accepts; a value that does not fit its
 * type is a 400 naming the key, and nothing is written.
 */

export type MetadataValue = string | number | boolean | string[];
export type MetadataRecord = Record<string, MetadataValue>;
type Field = typeof metadataFields.$inferSelect;

/** Field types whose values `q` searches. */
export const TEXT_FIELD_TYPES = new Set<Field["type"]>(["text", "textarea", "select", "multiselect"]);

export async function loadFields(data: TenantData): Promise<Map<string, Field>> {
  const rows = await data.db.select().from(metadataFields).where(eq(metadataFields.tenantId, data.tenantId)).all();
  return new Map(rows.map((f) => [f.key, f]));
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

type Refusal = { ok: false; message: string } & Because;

/** Returns the stored form of `value`, or an error message with its reason. */
export function coerceValue(field: Field, value: unknown): { ok: true; value: MetadataValue } | Refusal {
  const options = field.options ? (JSON.parse(field.options) as string[]) : [];
  switch (field.type) {
    case "text":
    case "textarea": {
      if (typeof value !== "string") return { ok: false, message: "Must be text.", reason: "meta_not_text" };
      const text = value.normalize("NFC");
      const max = field.type === "text" ? 1000 : 10_000;
      if (text.length > max) return { ok: false, message: `At most ${max} characters.`, reason: "too_long", params: { max } };
      if (field.type === "text" && /[\r\n]/.test(text)) return { ok: false, message: "Must be a single line.", reason: "meta_not_single_line" };
      if (CONTROL.test(text)) return { ok: false, message: "May not contain control characters.", reason: "meta_control_chars" };
      return { ok: true, value: text };
    }
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, message: "Must be a number.", reason: "meta_not_number" };
      return { ok: true, value };
    case "boolean":
      if (typeof value !== "boolean") return { ok: false, message: "Must be true or false.", reason: "meta_not_boolean" };
      return { ok: true, value };
    case "date":
      if (typeof value !== "string" || !isValidDate(value)) return { ok: false, message: "Must be a date (YYYY-MM-DD).", reason: "meta_not_date" };
      return { ok: true, value };
    case "datetime": {
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
        return { ok: false, message: "Must be a date and time with a time zone (ISO 8601).", reason: "meta_not_datetime" };
      }
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return { ok: false, message: "Not a valid date and time.", reason: "meta_not_datetime" };
      return { ok: true, value: d.toISOString() };
    }
    case "select":
      if (typeof value !== "string" || !options.includes(value))
        return { ok: false, message: `Must be one of: ${options.join(", ")}.`, reason: "meta_not_an_option", params: { options: options.join(", ") } };
      return { ok: true, value };
    case "multiselect": {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
        return { ok: false, message: "Must be a list of options.", reason: "meta_not_option_list" };
      const bad = value.filter((v) => !options.includes(v));
      if (bad.length) return { ok: false, message: `Not an option: ${bad.join(", ")}.`, reason: "meta_not_an_option", params: { options: options.join(", ") } };
      return { ok: true, value: [...new Set(value)] };
    }
    case "url": {
      if (typeof value !== "string" || value.length > 2000) return { ok: false, message: "Must be a URL.", reason: "meta_not_url" };
      try {
        const url = new URL(value);
        // Only web links: a javascript: or data: URL rendered as a link is an attack.
        if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Must be an http(s) URL.", reason: "meta_not_url" };
        return { ok: true, value: url.href };
      } catch {
        return { ok: false, message: "Must be a URL.", reason: "meta_not_url" };
      }
    }
    case "email":
      if (typeof value !== "string" || value.length > 254 || !EMAIL.test(value))
        return { ok: false, message: "Must be an e-mail address.", reason: "meta_not_email" };
      return { ok: true, value: value.toLowerCase() };
  }
}

/**
 * Merges a patch (null removes a key) into current values, checking each
 * patched key against its field. Throws 400 with one detail per bad key.
 */
export function mergeMetadata(fields: Map<string, Field>, current: MetadataRecord, patch: Record<string, unknown>, pathPrefix = "metadata"): MetadataRecord {
  const errors: FieldError[] = [];
  const next: MetadataRecord = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const field = fields.get(key);
    if (!field) {
      errors.push({ path: `${pathPrefix}.${key}`, message: "No metadata field has this key.", reason: "meta_unknown_field" });
      continue;
    }
    if (value === null) {
      delete next[key];
      continue;
    }
    const result = coerceValue(field, value);
    if (result.ok) {
      next[key] = result.value;
    } else {
      const { ok: _refused, ...why } = result;
      errors.push({ ...why, path: `${pathPrefix}.${key}` });
    }
  }
  if (errors.length) fail("validation_failed", "Some metadata values do not fit their fields.", { fields: errors });
  return next;
}

export function parseStoredMetadata(json: string): MetadataRecord {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as MetadataRecord) : {};
  } catch {
    return {};
  }
}

/** The text that `q` finds an asset by: name, tags and text-typed metadata values. */
export function searchTextOf(name: string, tags: readonly string[], metadata: MetadataRecord, fields: Map<string, Field>): string {
  const texts: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    const field = fields.get(key);
    if (!field || !TEXT_FIELD_TYPES.has(field.type)) continue;
    texts.push(Array.isArray(value) ? value.join(" ") : String(value));
  }
  // NFKC and lower case, so that full-width "ＡＢＣ" finds "abc" and the reverse.
  return searchTextFrom([name, ...tags, ...texts]);
}
