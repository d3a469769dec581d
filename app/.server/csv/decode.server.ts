import { fail } from "../http/errors.server";

/**
 * The text of an uploaded CSV (ADR 0033). Spreadsheets save CSV as UTF-8 (Excel's "CSV UTF-8",
 * with a byte-order mark; Numbers and Google Sheets, without) or, Japanese Excel's plain "CSV", as
 * Shift_JIS in Microsoft's Windows-31J form (CP932). The runtime's own TextDecoder reads both
 * (test/integration/platform/text-decoder-encodings.test.ts): no decoder of ours.
 */

export type CsvEncoding = "utf-8" | "shift_jis";

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function decodeAs(bytes: Uint8Array, encoding: CsvEncoding): string | null {
  try {
    // UTF-8's decoder drops the byte-order mark itself.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function unreadable(): never {
  fail("bad_request", "The file is neither UTF-8 nor Shift_JIS text. Save it as CSV (UTF-8 or Shift_JIS).", { reason: "csv_encoding" });
}

/**
 * `auto`: a UTF-8 byte-order mark means UTF-8; else bytes that are valid UTF-8 are UTF-8 (Shift_JIS
 * text with any Japanese in it almost never is); else Shift_JIS. A byte-order mark wins over an
 * explicit choice too, since no Shift_JIS file starts with one. UTF-16 (Excel's "Unicode text") is
 * refused with the same clear 400 as bytes that fit neither encoding.
 */
export function decodeCsv(bytes: Uint8Array, requested: "auto" | CsvEncoding): { text: string; encoding: CsvEncoding } {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) unreadable();
  const order: CsvEncoding[] = startsWith(bytes, UTF8_BOM) ? ["utf-8"] : requested === "auto" ? ["utf-8", "shift_jis"] : [requested];
  for (const encoding of order) {
    const text = decodeAs(bytes, encoding);
    if (text !== null) return { text, encoding };
  }
  return unreadable();
}

/**
 * The encoding a `Content-Type` charset names (`text/csv; charset=Shift_JIS`), by the runtime's own
 * list of labels (so `sjis`, `windows-31j`, `ms932`… all count); null when there is none. A charset
 * that is neither UTF-8 nor Shift_JIS is a 400.
 */
export function charsetOf(contentType: string | null): CsvEncoding | null {
  const label = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "")?.[1];
  if (!label) return null;
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    return unreadable();
  }
  return encoding === "utf-8" || encoding === "shift_jis" ? encoding : unreadable();
}
