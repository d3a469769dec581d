import type { RangeSource } from "./types";

/** What r2RangeSource needs of an R2 bucket binding (R2Bucket satisfies it). */
export type R2Getter = {
  get(
    key: string,
    options: { range: { offset: number; length: number }; onlyIf?: { etagMatches: string } },
  ): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
};

/**
 * A RangeSource over one R2 object, one ranged GET per read. Pass the
 * R2Object returned by put()/head(): with its etag, every read is pinned to
 * that version of the object, so a concurrent overwrite makes reads fail
 * instead of mixing two files.
 */
export function r2RangeSource(bucket: R2Getter, object: { key: string; size: number; etag?: string }): RangeSource {
  const { key, size, etag } = object;
  return {
    size,
    async read(offset, length) {
      const start = Math.max(0, Math.floor(offset));
      const len = Math.min(Math.floor(length), size - start);
      if (!(len > 0)) return new Uint8Array(0);
      let body: Awaited<ReturnType<R2Getter["get"]>>;
      try {
        body = await bucket.get(key, {
          range: { offset: start, length: len },
          ...(etag ? { onlyIf: { etagMatches: etag } } : {}),
        });
      } catch (e) {
        throw new ReadFailedError(`the storage read failed (${e instanceof Error ? e.message : String(e)})`);
      }
      // get() with onlyIf returns an object without a body when the
      // precondition fails; without arrayBuffer() the read cannot continue.
      if (!body || typeof body.arrayBuffer !== "function") {
        throw new ReadFailedError(body ? "the stored object changed while it was being read" : "the stored object is missing");
      }
      return new Uint8Array(await body.arrayBuffer());
    },
  };
}

/** A RangeSource over bytes already in memory (tests, small uploads). */
export function bytesRangeSource(bytes: Uint8Array): RangeSource {
  return {
    size: bytes.byteLength,
    async read(offset, length) {
      const start = Math.max(0, Math.floor(offset));
      return bytes.slice(start, Math.min(bytes.byteLength, start + Math.max(0, Math.floor(length))));
    },
  };
}

/** Reads exactly `length` bytes or fails with a readable message. */
export async function readExactly(source: RangeSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.byteLength < length) {
    throw new TruncatedError(`the file ends inside the ${what} (needed ${length} bytes at offset ${offset}, file size ${source.size})`);
  }
  return bytes;
}

export class TruncatedError extends Error {}
/** The stored object could not be read (missing, changed while reading, storage error). */
export class ReadFailedError extends Error {}

/**
 * Read-through cache in aligned blocks, for parsers that ask for many tiny
 * tokens (music-metadata): one ranged GET per block instead of one per token.
 * Keeps at most `maxBlocks` blocks (least recently used dropped first).
 */
export function blockCachedSource(source: RangeSource, blockSize = 16 * 1024, maxBlocks = 32): RangeSource {
  const blocks = new Map<number, Promise<Uint8Array>>();
  const block = (index: number): Promise<Uint8Array> => {
    let p = blocks.get(index);
    if (p) {
      blocks.delete(index);
    } else {
      p = source.read(index * blockSize, blockSize);
      p.catch(() => blocks.delete(index));
    }
    blocks.set(index, p);
    while (blocks.size > maxBlocks) blocks.delete(blocks.keys().next().value as number);
    return p;
  };
  return {
    size: source.size,
    async read(offset, length) {
      const start = Math.max(0, Math.floor(offset));
      const end = Math.min(source.size, start + Math.max(0, Math.floor(length)));
      if (end <= start) return new Uint8Array(0);
      // Large reads bypass the cache.
      if (end - start > blockSize * 4) return source.read(start, end - start);
      const out = new Uint8Array(end - start);
      for (let i = Math.floor(start / blockSize); i * blockSize < end; i++) {
        const b = await block(i);
        const bStart = i * blockSize;
        const from = Math.max(start, bStart);
        const to = Math.min(end, bStart + b.byteLength);
        if (to <= from) return out.subarray(0, Math.max(0, from - start));
        out.set(b.subarray(from - bStart, to - bStart), from - start);
        if (b.byteLength < blockSize) return out.subarray(0, to - start);
      }
      return out;
    },
  };
}
