/**
 * QuickTime sample descriptions that mp4box keeps as opaque `SampleEntry`
 * boxes (ProRes, DNxHD/DNxHR, in24/in32/lpcm/fl32…): the fixed fields are
 * read here from the entry's bytes (QuickTime File Format, "Video sample
 * description" and "Sound sample description", versions 0, 1 and 2).
 * Every read is bounded by the entry's own size.
 */

export type VisualEntry = { width: number; height: number; depth: number };
export type SoundEntry = { channels: number; sampleRate: number; bitDepth?: number; float?: boolean; littleEndian?: boolean };

/** Offsets after the 8-byte box header: reserved(6) + data-reference-index(2). */
const BODY = 16;

function viewOf(entry: Uint8Array): DataView {
  return new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
}

/**
 * Visual sample description: version(2) revision(2) vendor(4) temporal(4)
 * spatial(4) width(2) height(2) hres(4) vres(4) dataSize(4) frameCount(2)
 * compressorName(32) depth(2) colorTableId(2).
 */
export function readVisualEntry(entry: Uint8Array): VisualEntry | undefined {
  if (entry.byteLength < BODY + 70) return undefined;
  const v = viewOf(entry);
  return { width: v.getUint16(BODY + 16), height: v.getUint16(BODY + 18), depth: v.getUint16(BODY + 66) };
}

/**
 * Sound sample description. Version 0/1: version(2) revision(2) vendor(4)
 * channels(2) sampleSize(2) compressionId(2) packetSize(2) sampleRate(16.16),
 * then (v1) four 32-bit packet fields. Version 2: the v0 fields hold fixed
 * values; sizeOfStruct(4) sampleRate(float64) channels(4) 0x7F000000(4)
 * bitsPerChannel(4) formatFlags(4: 0x1 float, 0x2 big-endian) bytesPerPacket(4)
 * framesPerPacket(4). Child boxes follow (v1: a `wave` box may hold `enda`,
 * whose 16-bit value 1 means little-endian samples).
 */
export function readSoundEntry(entry: Uint8Array): SoundEntry | undefined {
  if (entry.byteLength < BODY + 20) return undefined;
  const v = viewOf(entry);
  const version = v.getUint16(BODY);
  if (version === 2) {
    if (entry.byteLength < BODY + 56) return undefined;
    const flags = v.getUint32(BODY + 44);
    const bits = v.getUint32(BODY + 40);
    return {
      sampleRate: Math.round(v.getFloat64(BODY + 24)),
      channels: v.getUint32(BODY + 32),
      ...(bits > 0 && bits <= 64 ? { bitDepth: bits } : {}),
      float: (flags & 0x1) !== 0,
      littleEndian: (flags & 0x2) === 0,
    };
  }
  const childrenAt = BODY + 20 + (version === 1 ? 16 : 0);
  const enda = findEnda(entry, childrenAt);
  const sampleSize = v.getUint16(BODY + 10);
  return {
    channels: v.getUint16(BODY + 8),
    sampleRate: v.getUint32(BODY + 16) >>> 16,
    ...(sampleSize > 0 ? { bitDepth: sampleSize } : {}),
    ...(enda !== undefined ? { littleEndian: enda } : {}),
  };
}

/** `enda` inside `wave` (or directly among the children), bounded by the entry. */
function findEnda(entry: Uint8Array, from: number, depth = 0): boolean | undefined {
  const v = viewOf(entry);
  for (let at = from; at + 8 <= entry.byteLength;) {
    const size = v.getUint32(at);
    const type = String.fromCharCode(entry[at + 4]!, entry[at + 5]!, entry[at + 6]!, entry[at + 7]!);
    if (size < 8 || at + size > entry.byteLength) return undefined;
    if (type === "enda" && size >= 10) return v.getUint16(at + 8) === 1;
    if (type === "wave" && depth === 0) {
      const inner = findEnda(entry, at + 8, 1);
      if (inner !== undefined) return inner;
    }
    at += size;
  }
  return undefined;
}
