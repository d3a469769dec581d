/**
 * What workerd's own TextDecoder reads (the metadata CSV import relies on it, ADR 0033): Shift_JIS
 * as Windows-31J (CP932), which Japanese Excel writes, including the NEC and IBM extensions and
 * Microsoft's mappings of the wave dash and the minus sign. The bytes below were made with
 * `printf '渋谷ロケ①～髙㈱−ー' | iconv -f UTF-8 -t CP932`, independently of any decoder here.
 */
import { describe, expect, it } from "vitest";

const CP932_BYTES = "8f61924a838d835087408160fbfc878a817c815b";
const bytesOf = (hex: string) => new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));

describe("TextDecoder in workerd", () => {
  it("knows shift_jis under its Windows labels, and decodes CP932 as Windows does", () => {
    for (const label of ["shift_jis", "windows-31j", "sjis", "x-sjis", "ms_kanji"]) {
      const decoder = new TextDecoder(label, { fatal: true });
      expect(decoder.encoding, label).toBe("shift_jis");
      // ～ is FULLWIDTH TILDE (U+FF5E) and − the FULLWIDTH HYPHEN-MINUS (U+FF0D), as CP932 maps them.
      expect(decoder.decode(bytesOf(CP932_BYTES)), label).toBe("渋谷ロケ①\uff5e髙㈱\uff0dー");
    }
  });

  it("refuses bytes that are not Shift_JIS when fatal, and UTF-8 that is not UTF-8", () => {
    expect(() => new TextDecoder("shift_jis", { fatal: true }).decode(bytesOf("82"))).toThrow();
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytesOf(CP932_BYTES))).toThrow();
  });
});
