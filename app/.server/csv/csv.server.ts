/** CSV for spreadsheets (audit export, marker export, metadata export): RFC 4180 with CRLF. */

/**
 * A spreadsheet runs a cell that starts with = + - @ (or tab / CR, which
 * some strip first) as a formula. Such cells get a leading apostrophe, which
 * spreadsheets show as text (OWASP "CSV injection"). Text that already starts
 * with apostrophes before such a character gets one more, so that
 * csvCellText can take exactly the added one off again (metadata import).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** One CSV line of cells, CRLF-terminated. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** A cell's text as it was before csvCell neutralised it (the parser has already taken the quotes off). */
export function csvCellText(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/** Excel opens UTF-8 CSV as UTF-8 only with a byte-order mark. */
export const CSV_BOM = "\uFEFF";
