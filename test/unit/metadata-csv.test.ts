/**
 * The metadata CSV's pure parts (ADR 0033): formula neutralising and its exact inverse, decoding
 * (byte-order mark, UTF-8, Shift_JIS from bytes iconv made, UTF-16 refused), parsing (quotes,
 * commas, line breaks, blank lines, the record limit), the header layout, and cells read back into
 * the values the asset PATCH's check (coerceValue) accepts. Exports are read back with csv-parse
 * directly, not with the app's reader.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvCellText, csvLine } from "~/.server/csv/csv.server";
import { charsetOf, decodeCsv } from "~/.server/csv/decode.server";
import { parseCsv } from "~/.server/csv/parse.server";
import { cellValue, exportCells, exportHeader, importLayout, type ExportAsset } from "~/.server/metadata/csv-columns.server";
import { coerceValue } from "~/.server/metadata/values.server";

type Field = Parameters<typeof coerceValue>[0];
const field = (key: string, type: Field["type"], options?: string[]): Field => ({
  id: `mf_${key}`,
  tenantId: "t",
  key,
  label: key,
  type,
  options: options ? JSON.stringify(options) : null,
  createdAt: "2026-01-01T00:00:00.000Z",
});

/** The refusal a domain function threw (a contract error Response). */
async function refusal(run: () => unknown): Promise<{ status: number; code: string; message: string }> {
  try {
    run();
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    const body = (await error.json()) as { error: { code: string; message: string } };
    return { status: error.status, ...body.error };
  }
  throw new Error("not refused");
}

/** The one cell csvCell wrote, read by csv-parse. */
const written = (value: string) => (parse(csvCell(value)) as string[][])[0]![0]!;

describe("formula injection", () => {
  const risky = ["=1+1", "+cmd", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''+x", "'-", '=HYPERLINK("http://evil.example","go")'];
  const harmless = ["", "plain", "'quoted", "a=b", "'", "''", "1-2", "日本語", "x\n=y"];

  it("every cell a spreadsheet would run starts with an apostrophe; others are untouched", () => {
    for (const v of risky) expect(written(v), JSON.stringify(v)).toBe(`'${v}`);
    for (const v of harmless) expect(written(v), JSON.stringify(v)).toBe(v);
  });

  it("csvCellText takes off exactly what csvCell added, whatever the text", () => {
    const chars = ["'", "=", "+", "-", "@", "a", " ", "\t"];
    const all = [""];
    for (let length = 1; length <= 4; length++) for (const prefix of [...all]) for (const c of chars) if (prefix.length === length - 1) all.push(prefix + c);
    for (const v of [...all, ...risky, ...harmless]) expect(csvCellText(written(v)), JSON.stringify(v)).toBe(v);
  });

  it("a line is CRLF-terminated, every cell quoted, quotes doubled", () => {
    expect(csvLine(["a", 'say "hi"', 3, null])).toBe('"a","say ""hi""","3",""\r\n');
  });
});

describe("decoding", () => {
  // `printf 'id,tags\r\nx,渋谷①～\r\n' | iconv -f UTF-8 -t CP932 | xxd -p`
  const sjis = Uint8Array.from(Buffer.from("69642c746167730d0a782c8f61924a874081600d0a", "hex"));
  const utf8 = new TextEncoder().encode("id,tags\r\nx,渋谷①～\r\n");

  it("reads a byte-order mark as UTF-8, valid UTF-8 as UTF-8, and anything else as Shift_JIS (CP932)", () => {
    expect(decodeCsv(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]), "auto")).toEqual({ text: "id,tags\r\nx,渋谷①～\r\n", encoding: "utf-8" });
    expect(decodeCsv(utf8, "auto").encoding).toBe("utf-8");
    expect(decodeCsv(sjis, "auto")).toEqual({ text: "id,tags\r\nx,渋谷①\uff5e\r\n", encoding: "shift_jis" });
    expect(decodeCsv(sjis, "shift_jis").encoding).toBe("shift_jis");
    expect(decodeCsv(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]), "shift_jis").encoding).toBe("utf-8");
  });

  it("refuses UTF-16, and bytes that are not the encoding asked for, with a 400", async () => {
    expect(await refusal(() => decodeCsv(Uint8Array.from([0xff, 0xfe, 0x69, 0]), "auto"))).toMatchObject({ status: 400, code: "bad_request" });
    expect(await refusal(() => decodeCsv(sjis, "utf-8"))).toMatchObject({ status: 400 });
    expect(await refusal(() => decodeCsv(Uint8Array.from([0x82]), "auto"))).toMatchObject({ status: 400 });
  });

  it("reads a Content-Type's charset by the runtime's labels", async () => {
    expect(charsetOf("text/csv")).toBeNull();
    expect(charsetOf("text/csv; charset=UTF-8")).toBe("utf-8");
    for (const label of ["Shift_JIS", "windows-31j", "sjis", '"MS932"']) expect(charsetOf(`text/csv; charset=${label}`), label).toBe("shift_jis");
    expect(await refusal(() => charsetOf("text/csv; charset=latin1"))).toMatchObject({ status: 400 });
    expect(await refusal(() => charsetOf("text/csv; charset=klingon"))).toMatchObject({ status: 400 });
  });
});

describe("parsing", () => {
  it("quoted cells hold commas, quotes and line breaks; blank lines are records of their own", () => {
    expect(parseCsv('id,notes\r\n"a","one, ""two""\nthree"\r\n\r\nb,\r\n', 10)).toEqual([["id", "notes"], ["a", 'one, "two"\nthree'], [""], ["b", ""]]);
  });

  it("keeps a stray quote inside a cell as text, and reads rows of any length", () => {
    expect(parseCsv('id,size\r\na,5" monitor,extra\r\n', 10)).toEqual([
      ["id", "size"],
      ["a", '5" monitor', "extra"],
    ]);
  });

  it("stops one record past the limit, and says at which line a quote was left open", async () => {
    expect(parseCsv("h\r\n1\r\n2\r\n3\r\n4\r\n", 2)).toHaveLength(3);
    const open = await refusal(() => parseCsv('id,x\r\na,ok\r\nb,"open\r\n', 10));
    expect(open).toMatchObject({ status: 400, code: "bad_request" });
    expect(open.message).toMatch(/line \d/);
  });
});

describe("columns", () => {
  const fields = [field("approved", "boolean"), field("mood", "multiselect", ["明るい", "静か"]), field("name", "text"), field("scene", "text")];
  const byKey = new Map(fields.map((f) => [f.key, f]));

  it("finds id, tags and colorLabel in any case, a field by metadata.<key> or its bare key, and names what it ignores", () => {
    const layout = importLayout(["ID", "Name", "TAGS", "colorlabel", "metadata.name", "scene", "metadata.gone", "durationSeconds", "whatever", ""], byKey);
    expect(layout).toMatchObject({ id: 0, tags: 2, colorLabel: 3, readOnly: ["Name", "durationSeconds"], unknown: ["metadata.gone", "whatever"] });
    expect(layout.metadata.map((m) => [m.index, m.field.key])).toEqual([
      [4, "name"],
      [5, "scene"],
    ]);
  });

  it("refuses a header without id, or with a column twice (a field by both its names too)", async () => {
    expect(await refusal(() => importLayout(["tags", "scene"], byKey))).toMatchObject({ status: 400 });
    expect(await refusal(() => importLayout(["id", "tags", "Tags"], byKey))).toMatchObject({ status: 400, message: 'The column "Tags" appears twice.' });
    expect(await refusal(() => importLayout(["id", "scene", "metadata.scene"], byKey))).toMatchObject({ status: 400 });
  });

  it("reads cells as people and spreadsheets write them, and leaves the check to coerceValue", () => {
    expect(cellValue(field("n", "number"), "'-5")).toBe(-5);
    expect(cellValue(field("n", "number"), " １２.５ ")).toBe(12.5);
    expect(cellValue(field("n", "number"), "1,234")).toBe("1,234");
    expect(cellValue(field("b", "boolean"), "はい")).toBe(true);
    expect(cellValue(field("b", "boolean"), "FALSE")).toBe(false);
    expect(cellValue(field("d", "date"), "2026/3/1")).toBe("2026-03-01");
    expect(cellValue(field("d", "date"), "2026-02-30")).toBe("2026-02-30");
    expect(cellValue(field("m", "multiselect"), "明るい\r\n 静か \n")).toEqual(["明るい", "静か"]);
    expect(cellValue(field("t", "text"), "  spaced  ")).toBe("  spaced  ");
    expect(cellValue(field("t", "text"), "   ")).toBeNull();
    expect(cellValue(field("t", "text"), "'=1+1")).toBe("=1+1");
    const date = field("d", "date");
    expect(coerceValue(date, cellValue(date, "2026-02-30"))).toMatchObject({ ok: false, reason: "meta_not_date" });
  });

  it("an exported row, read back with csv-parse, gives every stored value back through cellValue and coerceValue", () => {
    const all = [
      field("t", "text"),
      field("ta", "textarea"),
      field("n", "number"),
      field("d", "date"),
      field("dt", "datetime"),
      field("s", "select", ["A, B", "=C"]),
      field("m", "multiselect", ["x, y", "-z", "w"]),
      field("b", "boolean"),
      field("u", "url"),
      field("e", "email"),
    ];
    const metadata = {
      t: "=cmd(1)",
      ta: 'line, "one"\nline two',
      n: -0.5,
      d: "2026-03-01",
      dt: "2026-03-01T09:30:00.000Z",
      s: "=C",
      m: ["-z", "x, y"],
      b: false,
      u: "https://example.com/a?b=c",
      e: "crew@example.com",
    };
    const asset: ExportAsset = {
      id: "ast_a",
      name: "=evil.mov",
      folderPath: "ロケ/Day 1",
      tags: ["+plus", "タグ, カンマ"],
      colorLabel: "red",
      kind: "video",
      contentType: "video/quicktime",
      size: 10,
      createdAt: "2026-01-01T00:00:00.000Z",
      technical: { durationSeconds: 12.5, startTimecode: "01:00:00;00", exif: { make: "x" } },
      metadata,
    };
    const text = csvLine(exportHeader(all)) + csvLine(exportCells(asset, all));
    const [header, row] = parse(text) as string[][];
    expect(header).toContain("metadata.dt");
    const cell = (name: string) => row![header!.indexOf(name)]!;
    expect(cell("durationSeconds")).toBe("12.5");
    expect(cell("startTimecode")).toBe("01:00:00;00");
    expect(cell("folder")).toBe("ロケ/Day 1");
    expect(csvCellText(cell("name"))).toBe("=evil.mov");
    const layout = importLayout(header!, new Map(all.map((f) => [f.key, f])));
    const back = Object.fromEntries(
      layout.metadata.map(({ index, field: f }) => {
        const result = coerceValue(f, cellValue(f, row![index]!));
        return [f.key, result.ok ? result.value : result];
      }),
    );
    expect(back).toEqual(metadata);
  });
});
