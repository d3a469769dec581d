import { z } from "zod";
import { reasoned } from "./error-reasons";

/**
 * One zod schema per shared field: names, tags and search text are checked
 * by the same schema in API bodies (app/schemas/*.ts), in page forms
 * (app/schemas/forms/*.ts, which add only presentation: missing fields as
 * "", i18n of these messages in app/.server/ui/forms.server.ts) and again by
 * the domain functions before they store anything (checkField in
 * app/.server/http/validation.server.ts). The messages are the API's; the
 * forms show the localised text of each issue's reason (ADR 0020): attached
 * here with `reasoned` on refinements, derived from the issue's code and
 * limit (too_small, too_big with its maximum) on lengths.
 */

/**
 * Characters refused in anything a person reads as a name: C0/C1 controls,
 * and the bidirectional overrides, embeddings, isolates and marks that can
 * make "evil‮4pm.exe" display as something else.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_TEXT_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_TEXT_CHARS_ALL = new RegExp(UNSAFE_TEXT_CHARS.source, "g");

/** The text without control and bidi characters (for output built from stored values, e.g. headers and zip paths). */
export function withoutUnsafeChars(s: string): string {
  return s.replace(UNSAFE_TEXT_CHARS_ALL, "");
}

/**
 * A stored name as one segment of a file name or path, whatever the row holds
 * (a legacy row may predate the name rules): NFC, no control or bidi
 * characters, "/" and "\" as "_", trimmed. It can still be empty or only
 * dots (see isNoFileName); each caller decides what stands in for those.
 */
export function fileNameSegment(name: string): string {
  return withoutUnsafeChars(name.normalize("NFC")).replace(/[/\\]/g, "_").trim();
}

/** "", "." and "..": never a file name or a path segment (zip-slip). */
export function isNoFileName(segment: string): boolean {
  return segment === "" || /^\.+$/.test(segment);
}

export const FIELD_MESSAGES = {
  nameRequired: "A name is required.",
  nameTooLong: "Names are at most 255 characters.",
  nameSeparator: "Names may not contain / or \\.",
  nameUnsafe: "Names may not contain control characters or bidirectional overrides.",
  nameDots: "Names may not be . or ..",
  tagEmpty: "Tags may not be empty.",
  tagTooLong: "Tags are at most 64 characters.",
  tagUnsafe: "Tags may not contain control characters.",
  searchUnsafe: "Search text may not contain control characters.",
  fieldKey: "Use 1–40 lowercase letters, digits or underscores, starting with a letter.",
} as const;

/** "At most N characters." (the forms show it with N). */
export const atMost = (max: number) => `At most ${max} characters.`;

const nfcTrim = (s: string) => s.normalize("NFC").trim();
const safe = (s: string) => !UNSAFE_TEXT_CHARS.test(s);

/**
 * A file or folder display name: trimmed, NFC (macOS sends decomposed
 * kana: "デ" as "テ"+"゙"), 1–255 characters, no path separators, no
 * controls, no bidi overrides, not "." or "..".
 */
export const DisplayNameSchema = z
  .string()
  .transform(nfcTrim)
  .pipe(
    z
      .string()
      .min(1, FIELD_MESSAGES.nameRequired)
      .max(255, FIELD_MESSAGES.nameTooLong)
      .refine((s) => !/[/\\]/.test(s), reasoned(FIELD_MESSAGES.nameSeparator, "name_separator"))
      .refine(safe, reasoned(FIELD_MESSAGES.nameUnsafe, "name_unsafe"))
      .refine((s) => s !== "." && s !== "..", reasoned(FIELD_MESSAGES.nameDots, "name_dots")),
  );

export const TagSchema = z
  .string()
  .transform(nfcTrim)
  .pipe(z.string().min(1, FIELD_MESSAGES.tagEmpty).max(64, FIELD_MESSAGES.tagTooLong).refine(safe, reasoned(FIELD_MESSAGES.tagUnsafe, "tag_unsafe")));

/** Tags as a domain function stores them (the API bounds how many a request may send). */
export const TagListSchema = z.array(TagSchema);

/** A name of something in the tenant (role, group, project, saved search, metadata label or option): 1–max, one safe line. */
export const labelSchema = (max: number) =>
  z
    .string()
    .transform(nfcTrim)
    .pipe(z.string().min(1, FIELD_MESSAGES.nameRequired).max(max, atMost(max)).refine(safe, reasoned(FIELD_MESSAGES.nameUnsafe, "name_unsafe")));

/** A person's display name: may be empty. */
export const PersonNameSchema = z
  .string()
  .transform(nfcTrim)
  .pipe(z.string().max(200, atMost(200)).refine(safe, reasoned(FIELD_MESSAGES.nameUnsafe, "name_unsafe")));

export const RoleNameSchema = labelSchema(100);
export const GroupNameSchema = labelSchema(100);
export const ProjectNameSchema = labelSchema(200);
export const SavedSearchNameSchema = labelSchema(100);
export const ApiTokenNameSchema = labelSchema(100);
export const MetadataFieldLabelSchema = labelSchema(100);
export const MetadataOptionSchema = labelSchema(100);
const METADATA_FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;
/** A refinement (so the issue carries its reason), documented with the pattern. */
export const MetadataFieldKeySchema = z
  .string()
  .refine((s) => METADATA_FIELD_KEY.test(s), reasoned(FIELD_MESSAGES.fieldKey, "field_key_invalid"))
  .meta({ pattern: METADATA_FIELD_KEY.source });

/** Search text (`q`): NFC, trimmed, at most 200 characters, no controls (a NUL never reaches the FTS index). */
export const SearchTextSchema = z
  .string()
  .transform(nfcTrim)
  .pipe(z.string().max(200, atMost(200)).refine(safe, reasoned(FIELD_MESSAGES.searchUnsafe, "search_unsafe")));
