import { CsvError, parse } from "csv-parse/sync";
import { fail } from "../http/errors.server";

/**
 * A CSV text as records of cells (RFC 4180: quoted cells hold commas, quotes and line breaks), by
 * csv-parse. Every line is a record, blank ones too (as `[""]`), so that a record's index is its
 * spreadsheet row minus one. At most `maxRecords + 1` records are read, so a caller sees that the
 * file has more than it takes without parsing the rest. A quote left open is a 400 naming the line.
 */
export function parseCsv(text: string, maxRecords: number): string[][] {
  try {
    return parse(text, {
      to: maxRecords + 1,
      // Rows of different lengths are the caller's to report, row by row.
      relax_column_count: true,
      // A quote inside an unquoted cell (5" monitor) is text, as spreadsheets read it.
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = Number((error as CsvError & { lines?: number }).lines) || 1;
    return fail("bad_request", `The CSV could not be read at line ${line}: ${error.code}.`, { reason: "csv_unreadable", params: { line } });
  }
}
