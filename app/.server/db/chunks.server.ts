import { getTableColumns, sql, type Column, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { D1_LIMITS } from "./d1-limits.server";

/**
 * Splitting work so that no statement passes D1's 100 bound parameters
 * (ADR 0016). Every statement whose parameter count grows with its input is
 * cut with these, never with a constant of its own.
 */

/**
 * How many rows one statement may carry when each row binds
 * `parametersPerRow` values and the rest of the statement binds `fixed`.
 */
export function chunksFor(parametersPerRow: number, fixed = 0): number {
  const rows = Math.floor((D1_LIMITS.maxBoundParameters - fixed) / parametersPerRow);
  if (rows < 1) throw new Error(`A row of ${parametersPerRow} parameters (plus ${fixed}) cannot fit D1's ${D1_LIMITS.maxBoundParameters}`);
  return rows;
}

/**
 * Rows per multi-row INSERT into `table`: drizzle binds a value (or a
 * default) for every column of the table, so the column count is the cost.
 */
export function rowsPerInsert(table: SQLiteTable): number {
  return chunksFor(Object.keys(getTableColumns(table)).length);
}

/** `items` cut into consecutive pieces of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const encoder = new TextEncoder();

/**
 * `items` cut so that each piece, as one JSON array, stays within
 * `maxBytes` of UTF-8: for statements that take their rows as one JSON
 * parameter (json_each), which D1 limits to 2 MB. One item over the limit
 * is a piece of its own (and D1, or the checker, refuses it).
 */
export function chunkedByJsonBytes<T>(items: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = [];
  let piece: T[] = [];
  let bytes = 2; // the brackets
  for (const item of items) {
    const size = encoder.encode(JSON.stringify(item)).length + 1; // and a comma
    if (piece.length > 0 && bytes + size > maxBytes) {
      out.push(piece);
      piece = [];
      bytes = 2;
    }
    piece.push(item);
    bytes += size;
  }
  if (piece.length > 0) out.push(piece);
  return out;
}

/**
 * `column IN (values)` with one bound parameter whatever the number of
 * values (a JSON array read by json_each), for id lists that are bounded by
 * the request, not by D1. The array must stay under 2 MB (about 60,000 ids).
 */
export function inJsonArray(column: Column | SQL, values: readonly (string | number)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

const NEWLINE = 0x0a;

/**
 * A part's JSON lines cut into runs of whole lines of at most `maxBytes` bytes each (a line longer
 * than that goes alone), by bytes and without decoding or parsing anything in JavaScript. Each run
 * is given without its last newline: SQLite makes it a JSON array for json_each (linesAsJsonArray),
 * since every line is one JSON value (SQLite's own json text, framed) and holds no raw newline.
 */
export function lineRuns(bytes: Uint8Array, maxBytes: number): Uint8Array[] {
  const runs: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const limit = start + maxBytes - 2;
    let end = limit >= bytes.length ? bytes.length : bytes.lastIndexOf(NEWLINE, limit - 1) + 1;
    if (end <= start) end = bytes.indexOf(NEWLINE, start) + 1 || bytes.length;
    const run = bytes.subarray(start, bytes[end - 1] === NEWLINE ? end - 1 : end);
    if (run.length > 0) runs.push(run);
    start = end;
  }
  return runs;
}

/**
 * SQL that makes the run of JSON lines bound as parameter `?n` (text, or bytes as a BLOB) one JSON
 * array: its newlines become the array's commas, in one native pass, no line strings built.
 */
export const linesAsJsonArray = (n: number) => `'[' || replace(CAST(?${n} AS TEXT), char(10), ',') || ']'`;
