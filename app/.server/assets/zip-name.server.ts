import { dateTimeFormat } from "~/i18n/intl-formats";
import { fileNameSegment, isNoFileName } from "~/schemas/names";

/**
 * The file name of a downloaded zip: `<project>_<folder>_<date>.zip`, or
 * `<project>_<date>.zip` when the selection has no common folder. Each name
 * is cut to a number of UTF-8 bytes so the whole stays far below the
 * 255-byte file-name limit of common file systems, Japanese included (3
 * bytes a character). The HTTP header encoding (RFC 6266 `filename*`) is
 * contentDisposition's job.
 */

/** Bytes kept of the project and of the folder name. */
const SEGMENT_BYTES = 90;

const encoder = new TextEncoder();

/** The longest prefix of whole code points that fits in `maxBytes` of UTF-8. */
function cutToBytes(text: string, maxBytes: number): string {
  let out = "";
  let bytes = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).length;
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out.trim();
}

function nameSegment(name: string | null | undefined): string | null {
  if (!name) return null;
  const segment = cutToBytes(fileNameSegment(name), SEGMENT_BYTES);
  return isNoFileName(segment) ? null : segment;
}

/**
 * The calendar date (YYYY-MM-DD) of `at` in `timeZone` (an IANA name). An
 * unknown zone falls back to UTC rather than failing the download.
 */
export function calendarDate(at: Date, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  } catch {
    format = dateTimeFormat("en-CA", { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" });
  }
  const part = (type: string) => format.formatToParts(at).find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

type NameParts = { projectName: string; folderName?: string | null; at: Date; timeZone: string };

/** `<project>_<folder>_<date><suffix>`, or `<project>_<date><suffix>` (zips, and the metadata CSV's `_metadata.csv`). */
export function datedFileName(p: NameParts, suffix: string): string {
  const parts = [nameSegment(p.projectName), nameSegment(p.folderName), calendarDate(p.at, p.timeZone)].filter((s): s is string => s !== null);
  return `${parts.join("_")}${suffix}`;
}

export function zipFileName(p: NameParts): string {
  return datedFileName(p, ".zip");
}

/** A name the caller chose (API `name`, already a valid display name): ".zip" added when missing. */
export function chosenZipName(name: string): string {
  return name.toLowerCase().endsWith(".zip") ? name : `${name}.zip`;
}
