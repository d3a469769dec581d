/** Looking at media bytes in tests (pure: used in Node and in workerd). */
import type { RangeSource } from "~/.server/assets/technical";

/** A RangeSource wrapper that records what was read. */
export type Counted = RangeSource & { bytesRead: number; reads: Array<[number, number]> };

export function recording(inner: RangeSource): Counted {
  const source: Counted = {
    size: inner.size,
    bytesRead: 0,
    reads: [],
    async read(offset, length) {
      const bytes = await inner.read(offset, length);
      source.bytesRead += bytes.byteLength;
      source.reads.push([offset, bytes.byteLength]);
      return bytes;
    },
  };
  return source;
}

/** Top-level ISO BMFF boxes of an in-memory file, to check the fixture's layout. */
export function topLevelBoxes(bytes: Uint8Array): Array<{ type: string; start: number; size: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes = [];
  for (let o = 0; o + 8 <= bytes.byteLength;) {
    const size = view.getUint32(o);
    boxes.push({ type: String.fromCharCode(...bytes.subarray(o + 4, o + 8)), start: o, size });
    if (size < 8) break;
    o += size;
  }
  return boxes;
}
