/** CSV for spreadsheets (audit export, marker export, metadata export): RFC 4180 with CRLF. */

/**
 * A spreadsheet runs a cell that starts with = + - @ (or tab / CR, which
 * some strip first) as a formula. Such cells get a leading apostrophe, which
 * spreadsheets show as text (OWASP "CSV injection").
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** One CSV line of cells, CRLF-terminated. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** Excel opens UTF-8 CSV as UTF-8 only with a byte-order mark. */
export const CSV_BOM = "\uFEFF";
