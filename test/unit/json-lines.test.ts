/**
 * Staging a backup part (ADR 0025, 0029): its JSON lines are cut into runs of whole lines by
 * bytes, at line ends, without decoding or parsing them in JavaScript (SQLite makes each run a
 * JSON array). Every line lands in exactly one run, in order, and no run with its brackets is
 * larger than the limit unless a single line is.
 */
import { describe, expect, it } from "vitest";
import { lineRuns } from "~/.server/db/chunks.server";

const encode = (lines: unknown[]) => new TextEncoder().encode(lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
/** A run as SQLite's linesAsJsonArray makes it: newlines become commas, in brackets. */
const asArray = (run: Uint8Array) => `[${new TextDecoder().decode(run).replaceAll("\n", ",")}]`;
const parsed = (runs: Uint8Array[]) => runs.map((run) => JSON.parse(asArray(run)) as unknown[]);

describe("lineRuns", () => {
  it("keeps every line, in order, within the byte limit (multi-byte text included)", () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({ t: "assets", r: [`ast_${i}`, `渋谷_交差点_${"あ".repeat(i % 37)}.mov`, i] }));
    const runs = lineRuns(encode(lines), 2_000);
    expect(parsed(runs).flat()).toHaveLength(500);
    expect(runs.length).toBeGreaterThan(10);
    for (const run of runs) expect(run.length + 2).toBeLessThanOrEqual(2_000);
    expect(parsed(runs).flat()).toEqual(lines);
  });

  it("puts a line longer than the limit alone, and handles one run, no lines and escaped newlines", () => {
    const long = { t: "assets", r: ["x".repeat(5_000), "line\nbreak inside a value"] };
    const runs = lineRuns(encode([{ t: "a", r: [] }, long, { t: "b", r: [] }]), 1_000);
    expect(parsed(runs).flat()).toHaveLength(3);
    expect(parsed(runs)).toEqual([[{ t: "a", r: [] }], [long], [{ t: "b", r: [] }]]);
    expect(lineRuns(encode([{ t: "a", r: [] }]), 1_000).map(asArray)).toEqual(['[{"t":"a","r":[]}]']);
    expect(lineRuns(new Uint8Array(), 1_000)).toEqual([]);
  });
});
