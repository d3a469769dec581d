/**
 * Server-side content sniffing and technical metadata of stored media.
 * See README.md beside this file for the contract and its choices.
 */
import { extractWithMusicMetadata } from "./audio";
import { extractImage } from "./image";
import { extractIsoBmff } from "./isobmff";
import type { Extraction, RangeSource, Sniffed, Technical } from "./types";

export type { AssetKind, Extraction, RangeSource, Sniffed, Technical } from "./types";
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

class BudgetExceeded extends Error {}

/**
 * Technical metadata of a stored file, reading only the ranges it needs.
 * Never rejects. `problem` is a human-readable reason when the file claims a
 * known format (by its bytes) but its structure is damaged, truncated or
 * unreadable, or reading it failed/timed out; `technical` then still holds
 * whatever could be read. A format we do not read (unknown bytes, documents,
 * MXF, AVI, MPEG-TS) gives `{ technical: {container?}, problem: null }`:
 * having nothing to read is not a failure.
 */
export async function extractTechnical(source: RangeSource, sniffed: Sniffed, options: ExtractOptions = {}): Promise<Extraction> {
  const { timeoutMs = 25_000, maxBytesRead = 80 * 1024 * 1024 } = options;
  const base: Technical = sniffed.container ? { container: sniffed.container } : {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Extraction>((resolve) => {
    timer = setTimeout(
      () => resolve({ technical: base, problem: `reading the file took longer than ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run(budgeted(source, maxBytesRead), sniffed, base), timeout]);
  } catch (e) {
    const reason =
      e instanceof BudgetExceeded ? e.message : `the file could not be read (${e instanceof Error ? e.message : String(e)})`;
    return { technical: base, problem: reason };
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
  return { technical: base, problem: null };
}

/** Fails reads past a total byte budget, so a hostile file cannot make us read forever. */
function budgeted(source: RangeSource, maxBytes: number): RangeSource {
  let total = 0;
  return {
    size: source.size,
    async read(offset, length) {
      if (total + Math.max(0, length) > maxBytes) {
        throw new BudgetExceeded(`reading the file's structure would need more than ${maxBytes} bytes`);
      }
      const bytes = await source.read(offset, length);
      total += bytes.byteLength;
      return bytes;
    },
  };
}
