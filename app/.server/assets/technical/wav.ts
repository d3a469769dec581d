/**
 * What music-metadata leaves out of a RIFF WAVE file: the SubFormat of a
 * WAVE_FORMAT_EXTENSIBLE `fmt ` chunk (it reports "non-PCM (65534)") and the
 * frame rate an `iXML` chunk gives the Broadcast WAV time reference. The
 * chunk list is walked with one 8-byte read per chunk header, never reading
 * the `data` chunk, and bounded in chunks and bytes.
 */
import type { RangeSource } from "./types";

const MAX_CHUNKS = 64;
const MAX_IXML_BYTES = 64 * 1024;
/** KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 bytes after the 16-bit format tag. */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export type WavFormat = { formatTag: number; subFormat?: number; bitsPerSample: number; validBits?: number };
export type IxmlTimecode = { rate: number; dropFrame: boolean };

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

async function chunks(source: RangeSource, visit: (id: string, start: number, size: number) => Promise<boolean>): Promise<void> {
  const head = await source.read(0, 12);
  if (head.byteLength < 12 || (ascii(head, 0, 4) !== "RIFF" && ascii(head, 0, 4) !== "RF64") || ascii(head, 8, 12) !== "WAVE") return;
  let offset = 12;
  for (let n = 0; n < MAX_CHUNKS && offset + 8 <= source.size; n++) {
    const h = await source.read(offset, 8);
    if (h.byteLength < 8) return;
    const size = new DataView(h.buffer, h.byteOffset, 8).getUint32(4, true);
    if (await visit(ascii(h, 0, 4), offset + 8, size)) return;
    offset += 8 + size + (size & 1); // chunks are padded to even sizes
  }
}

/** The `fmt ` chunk, with the SubFormat tag of WAVE_FORMAT_EXTENSIBLE. */
export async function readWavFormat(source: RangeSource): Promise<WavFormat | undefined> {
  let found: WavFormat | undefined;
  await chunks(source, async (id, start, size) => {
    if (id !== "fmt ") return false;
    const fmt = await source.read(start, Math.min(size, 40));
    if (fmt.byteLength < 16) return true;
    const v = new DataView(fmt.buffer, fmt.byteOffset, fmt.byteLength);
    found = { formatTag: v.getUint16(0, true), bitsPerSample: v.getUint16(14, true) };
    if (found.formatTag === WAVE_FORMAT_EXTENSIBLE && fmt.byteLength >= 40) {
      found.validBits = v.getUint16(18, true) || undefined;
      if (GUID_TAIL.every((b, i) => fmt[26 + i] === b)) found.subFormat = v.getUint16(24, true);
    }
    return true;
  });
  return found;
}

/** ffmpeg-style codec id of a WAVE_FORMAT_EXTENSIBLE stream, or undefined for other sub-formats. */
export function extensibleCodec(format: WavFormat): { codec: string; bitDepth: number } | undefined {
  if (format.formatTag !== WAVE_FORMAT_EXTENSIBLE) return undefined;
  // The container size (bitsPerSample) decides the sample layout; validBits may be smaller (20 in 24).
  const bits = format.bitsPerSample;
  const depth = format.validBits && format.validBits <= bits ? format.validBits : bits;
  if (format.subFormat === WAVE_FORMAT_PCM) return { codec: bits === 8 ? "pcm_u8" : `pcm_s${bits}le`, bitDepth: depth };
  if (format.subFormat === WAVE_FORMAT_IEEE_FLOAT) return { codec: `pcm_f${bits}le`, bitDepth: depth };
  return undefined;
}

/**
 * iXML `<TIMECODE_RATE>` ("30000/1001", "25/1") and `<TIMECODE_FLAG>` (DF/NDF),
 * as written by field recorders next to a `bext` chunk.
 */
export async function readIxmlTimecode(source: RangeSource): Promise<IxmlTimecode | undefined> {
  let found: IxmlTimecode | undefined;
  await chunks(source, async (id, start, size) => {
    if (id !== "iXML") return false;
    const xml = new TextDecoder().decode(await source.read(start, Math.min(size, MAX_IXML_BYTES)));
    const rate = xml.match(/<TIMECODE_RATE>\s*(\d+)(?:\s*\/\s*(\d+))?\s*<\/TIMECODE_RATE>/i);
    if (rate) {
      const value = Number(rate[1]) / Number(rate[2] ?? 1);
      if (value > 0 && value <= 120) found = { rate: value, dropFrame: /<TIMECODE_FLAG>\s*DF\s*<\/TIMECODE_FLAG>/i.test(xml) };
    }
    return true;
  });
  return found;
}
