/**
 * Server-side content sniffing and technical metadata of stored media.
 * See README.md beside this file for the contract and its choices.
 */
import { extractWithMusicMetadata } from "./audio";
import { extractImage } from "./image";
import { extractIsoBmff } from "./isobmff";
import { extractMxf } from "./mxf";
import { BudgetError, problem, problemFromError } from "./problems";
import type { Extraction, RangeSource, Sniffed, Technical } from "./types";

export type { AssetKind, Extraction, Problem, ProblemCode, RangeSource, Sniffed, Technical, TrackInfo } from "./types";
export { PROBLEM_CODES } from "./types";
export { problemFromMediaName } from "./media-names";
export { sniff, SNIFF_BYTES } from "./sniff";
export { r2RangeSource, bytesRangeSource, type R2Getter } from "./range-source";
export { framesToTimecode } from "./timecode";
export { codecName } from "./codecs";

/** ISO BMFF movie containers (file-type extensions mapped by sniff()). */
const ISO_MOVIE = new Set(["mp4", "mov", "m4v", "m4a", "m4b", "m4p", "f4v", "f4a", "f4b", "f4p", "3gp", "3g2"]);
/** Video containers music-metadata can read (Matroska family). */
const MATROSKA = new Set(["webm", "mkv"]);

export type ExtractOptions = {
  /** Gives up (with a problem) after this long. Default 25 s. */
  timeoutMs?: number;
  /** Gives up (with a problem) after reading this many bytes. Default 80 MiB. */
  maxBytesRead?: number;
};

/**
 * Technical metadata of a stored file, reading only the ranges it needs.
 * Never rejects. `problem` is a stable code (with an English detail for
 * support) when the file claims a known format (by its bytes) but its
 * structure is damaged or truncated, reading it failed/timed out, or it is a
 * media container we do not read (`unsupported_format`); `technical` then
 * still holds whatever could be read. Unknown bytes and documents give
 * `{ technical: {container?}, problem: null }`; whether unknown bytes are a
 * problem depends on the file name, which the caller knows
 * (problemFromMediaName).
 */
export async function extractTechnical(source: RangeSource, sniffed: Sniffed, options: ExtractOptions = {}): Promise<Extraction> {
  const { timeoutMs = 25_000, maxBytesRead = 80 * 1024 * 1024 } = options;
  const base: Technical = sniffed.container ? { container: sniffed.container } : {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Extraction>((resolve) => {
    timer = setTimeout(() => resolve({ technical: base, problem: problem("too_complex", `reading the file took longer than ${timeoutMs} ms`) }), timeoutMs);
  });
  try {
    return await Promise.race([run(budgeted(source, maxBytesRead), sniffed, base), timeout]);
  } catch (e) {
    return { technical: base, problem: problemFromError(e, "file") };
  } finally {
    clearTimeout(timer);
  }
}

async function run(source: RangeSource, sniffed: Sniffed, base: Technical): Promise<Extraction> {
  const container = sniffed.container;
  if (!container || source.size === 0) return { technical: base, problem: null };
  if (ISO_MOVIE.has(container)) return extractIsoBmff(source, container);
  if (sniffed.kind === "image") return extractImage(source, container);
  if (sniffed.kind === "audio" || MATROSKA.has(container)) return extractWithMusicMetadata(source, sniffed);
  if (container === "mxf") return extractMxf(source);
  // A media container we recognise but do not read (AVI, MPEG-TS, FLV…): say so instead of staying silent.
  if (sniffed.kind !== "other") return { technical: base, problem: problem("unsupported_format", `${container} is not read`) };
  return { technical: base, problem: null };
}

/** Fails reads past a total byte budget, so a hostile file cannot make us read forever. */
function budgeted(source: RangeSource, maxBytes: number): RangeSource {
  let total = 0;
  return {
    size: source.size,
    async read(offset, length) {
      if (total + Math.max(0, length) > maxBytes) {
        throw new BudgetError(`reading the file's structure would need more than ${maxBytes} bytes`);
      }
      const bytes = await source.read(offset, length);
      total += bytes.byteLength;
      return bytes;
    },
  };
}
