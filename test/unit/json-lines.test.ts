/**
 * Staging a backup part (ADR 0025): its JSON lines are cut into JSON arrays for SQLite's json_each
 * by bytes, at line ends, without parsing them in JavaScript. Every line lands in exactly one
 * array, in order, and no array is larger than the limit unless a single line is.
 */
import { describe, expect, it } from "vitest";
import { jsonArraysOfLines } from "~/.server/db/chunks.server";

const encode = (lines: unknown[]) => new TextEncoder().encode(lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
const bytesOf = (s: string) => new TextEncoder().encode(s).length;

describe("jsonArraysOfLines", () => {
  it("keeps every line, in order, within the byte limit (multi-byte text included)", () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({ t: "assets", r: { id: `ast_${i}`, name: `渋谷_交差点_${"あ".repeat(i % 37)}.mov`, n: i } }));
    const { arrays, rows } = jsonArraysOfLines(encode(lines), 2_000);
    expect(rows).toBe(500);
    expect(arrays.length).toBeGreaterThan(10);
    for (const a of arrays) expect(bytesOf(a)).toBeLessThanOrEqual(2_000);
    expect(arrays.flatMap((a) => JSON.parse(a) as unknown[])).toEqual(lines);
  });

  it("puts a line longer than the limit alone, and handles one array, no lines and escaped newlines", () => {
    const long = { t: "assets", r: { text: "x".repeat(5_000), note: "line\nbreak inside a value" } };
    const { arrays, rows } = jsonArraysOfLines(encode([{ t: "a", r: {} }, long, { t: "b", r: {} }]), 1_000);
    expect(rows).toBe(3);
    expect(arrays.map((a) => JSON.parse(a) as unknown[])).toEqual([[{ t: "a", r: {} }], [long], [{ t: "b", r: {} }]]);
    expect(jsonArraysOfLines(encode([{ t: "a", r: {} }]), 1_000)).toEqual({ arrays: ['[{"t":"a","r":{}}]'], rows: 1 });
    expect(jsonArraysOfLines(new Uint8Array(), 1_000)).toEqual({ arrays: [], rows: 0 });
  });
});
