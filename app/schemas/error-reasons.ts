/**
 * Stable reason codes of domain errors (issue #10, ADR 0020). A thrown
 * contract error may carry one reason (why the request was refused) and
 * each of its field errors one reason (why that field was refused). The API
 * never writes them: its JSON stays {"error": {code, message, details?}}.
 * The UI maps each reason to a message key (app/.server/ui/reason-messages.server.ts).
 *
 * A closed union: a misspelt reason fails type-checking, and so does a
 * reason without the params its message needs.
 */

/** Reasons whose message needs values, with those values. */
type ReasonParamsOf = {
  /** The request's own IP, which the new allow-list would shut out. */
  ip_lockout: { ip: string };
  /** The longest accepted length. */
  too_long: { max: number };
  /** The accepted options, comma-separated. */
  meta_not_an_option: { options: string };
  /** Metadata CSV (ADR 0033): the largest file, in MiB. */
  csv_file_too_large: { megabytes: number };
  /** The most asset rows an import takes. */
  csv_too_many_rows: { max: number };
  /** The line where the CSV stopped making sense. */
  csv_unreadable: { line: number };
  /** A header that appears twice. */
  csv_duplicate_column: { column: string };
  /** The row that already named this asset. */
  csv_duplicate_row: { row: number };
  /** A row's cells against the header's. */
  csv_cell_count: { cells: number; expected: number };
  /** The most tags an asset may have. */
  csv_too_many_tags: { max: number };
  /** The most assets one export may hold. */
  csv_export_too_large: { max: number };
  /** The longest a share may last, in days. */
  share_expiry_too_long: { days: number };
};

export const ERROR_REASONS = [
  // Refusals of a whole request.
  "last_admin",
  "duplicate_email",
  "duplicate_role",
  "role_in_use",
  "duplicate_group",
  "duplicate_project",
  "totp_already_enabled",
  "totp_not_enabled",
  "totp_not_started",
  "totp_unavailable",
  "folder_not_empty",
  "folder_exists",
  "folder_cycle",
  "folder_depth",
  "saved_search_exists",
  "field_key_exists",
  "ip_lockout",
  "link_invalid",
  "challenge_expired",
  // Metadata CSV: a file refused whole.
  "csv_file_too_large",
  "csv_too_many_rows",
  "csv_encoding",
  "csv_unreadable",
  "csv_empty",
  "csv_no_id_column",
  "csv_duplicate_column",
  "csv_conflict",
  "csv_export_too_large",
  "share_revoked",
  // Refusals of one field.
  "required",
  "too_long",
  "password_too_short",
  "password_too_long",
  "password_too_common",
  "password_incorrect",
  "cidr_invalid",
  "time_zone_unknown",
  "role_unknown",
  "name_separator",
  "name_unsafe",
  "name_dots",
  "tag_unsafe",
  "search_unsafe",
  "field_key_invalid",
  "meta_unknown_field",
  "meta_not_text",
  "meta_not_number",
  "meta_not_boolean",
  "meta_not_date",
  "meta_not_datetime",
  "meta_not_url",
  "meta_not_email",
  "meta_not_single_line",
  "meta_control_chars",
  "meta_not_option_list",
  "meta_not_an_option",
  // Metadata CSV: one row of an import.
  "csv_not_found",
  "csv_duplicate_row",
  "csv_cell_count",
  "csv_too_many_tags",
  "share_expiry_past",
  "share_expiry_too_long",
  "share_password_required",
  "share_recipients_required",
  "share_downloads_off",
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

/** A reason with the params its message needs (none for most). */
export type Because = {
  [R in ErrorReason]: R extends keyof ReasonParamsOf ? { reason: R; params: ReasonParamsOf[R] } : { reason: R; params?: undefined };
}[ErrorReason];

/** No reason: an error the UI shows by its code alone. */
export type NoReason = { reason?: undefined; params?: undefined };

const KNOWN = new Set<string>(ERROR_REASONS);

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === "string" && KNOWN.has(value);
}

/**
 * A zod refinement's options with a reason attached (zod copies `params`
 * onto the custom issue): `.refine(ok, reasoned("Names may …", "name_unsafe"))`.
 */
export function reasoned(message: string, reason: Exclude<ErrorReason, keyof ReasonParamsOf>): { message: string; params: { reason: ErrorReason } } {
  return { message, params: { reason } };
}
