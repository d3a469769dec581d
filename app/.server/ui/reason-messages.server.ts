/**
 * The localised text of each error reason (ADR 0020). A Record over the
 * closed union: a reason without a message key fails type-checking. Params
 * travel with the reason (the IP of a lock-out, the maximum of a length).
 */
import type { UiText } from "~/components/form-types";
import type { MessageKey } from "~/i18n/messages";
import type { Because } from "~/schemas/error-reasons";

export const REASON_MESSAGES: Record<Because["reason"], MessageKey> = {
  last_admin: "err.lastAdmin",
  duplicate_email: "err.duplicateEmail",
  duplicate_role: "err.duplicateRole",
  role_in_use: "err.roleInUse",
  duplicate_group: "err.duplicateGroup",
  duplicate_project: "err.duplicateProject",
  totp_already_enabled: "err.totpAlreadyEnabled",
  totp_not_enabled: "err.totpNotEnabled",
  totp_not_started: "err.totpNotStarted",
  totp_unavailable: "err.totpUnavailable",
  folder_not_empty: "err.folderNotEmpty",
  folder_exists: "err.folderExists",
  folder_cycle: "err.folderCycle",
  folder_depth: "err.folderDepth",
  saved_search_exists: "err.savedSearchExists",
  field_key_exists: "err.fieldKeyExists",
  ip_lockout: "err.lockout",
  link_invalid: "err.linkInvalid",
  challenge_expired: "err.challengeExpired",
  csv_file_too_large: "err.csv.fileTooLarge",
  csv_too_many_rows: "err.csv.tooManyRows",
  csv_encoding: "err.csv.encoding",
  csv_unreadable: "err.csv.unreadable",
  csv_empty: "err.csv.empty",
  csv_no_id_column: "err.csv.noIdColumn",
  csv_duplicate_column: "err.csv.duplicateColumn",
  csv_conflict: "err.csv.conflict",
  csv_export_too_large: "err.csv.exportTooLarge",
  share_revoked: "share.err.revoked",
  required: "v.required",
  too_long: "v.meta.max",
  password_too_short: "v.password.tooShort",
  password_too_long: "v.password.tooLong",
  password_too_common: "v.password.tooCommon",
  password_incorrect: "v.password.incorrect",
  cidr_invalid: "v.cidr",
  time_zone_unknown: "time.zone.invalid",
  role_unknown: "v.role",
  name_separator: "v.nameSlash",
  name_unsafe: "v.nameInvalid",
  name_dots: "v.nameInvalid",
  tag_unsafe: "v.nameInvalid",
  search_unsafe: "v.meta.control",
  field_key_invalid: "v.fieldKey",
  meta_unknown_field: "v.meta.unknown",
  meta_not_text: "v.meta.text",
  meta_not_number: "v.meta.number",
  meta_not_boolean: "v.meta.boolean",
  meta_not_date: "v.meta.date",
  meta_not_datetime: "v.meta.datetime",
  meta_not_url: "v.meta.url",
  meta_not_email: "v.meta.email",
  meta_not_single_line: "v.meta.singleLine",
  meta_control_chars: "v.meta.control",
  meta_not_option_list: "v.meta.options",
  meta_not_an_option: "v.meta.options",
  csv_not_found: "v.csv.notFound",
  csv_duplicate_row: "v.csv.duplicateRow",
  csv_cell_count: "v.csv.cellCount",
  csv_too_many_tags: "v.csv.tooManyTags",
  share_expiry_past: "share.v.expiryPast",
  share_expiry_too_long: "share.v.expiryTooLong",
  share_password_required: "share.v.passwordRequired",
  share_recipients_required: "share.v.recipientsRequired",
  share_downloads_off: "share.v.downloadsOff",
};

export function reasonText(because: Because): UiText {
  const key = REASON_MESSAGES[because.reason];
  return because.params ? { key, params: because.params } : { key };
}
