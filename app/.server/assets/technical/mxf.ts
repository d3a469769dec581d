/**
 * MXF (SMPTE ST 377-1): no maintained JavaScript reader exists, so the header
 * metadata is parsed here, minimally and with every read bounded:
 *
 *  1. the header partition pack (the first KLV): operational pattern, the
 *     size of the header metadata that follows, where the footer is;
 *  2. the header metadata (at most MAX_METADATA_BYTES): local sets (KLV
 *     keys 06 0E 2B 34 02 53 …, 2-byte local tags with 2-byte lengths);
 *     only static local tags are needed, so the primer pack is not used;
 *  3. when the header partition is open or incomplete (durations may be
 *     missing while recording), the footer partition's copy of the metadata.
 *
 * Read: timeline tracks (edit rate) → sequences (duration); the first
 * timecode component (start, rounded base, drop frame); picture descriptors
 * (display or stored size, sample rate, component depth, picture essence coding UL)
 * and sound descriptors (sampling rate, channels, quantisation bits, sound
 * essence coding). Essence itself is never read.
 */
import { problem, problemFromError } from "./problems";
import { readExactly } from "./range-source";
import { framesToTimecode } from "./timecode";
import { summarise } from "./tracks";
import type { Extraction, RangeSource, Technical, TrackInfo } from "./types";

/** Header metadata larger than this is refused (camera files have tens of KiB). */
export const MAX_METADATA_BYTES = 4 * 1024 * 1024;
/** Local sets examined at most (a file with more is unusual and refused). */
const MAX_SETS = 20_000;

const SMPTE = [0x06, 0x0e, 0x2b, 0x34];

type LocalSet = { kind: number; tags: Map<number, Uint8Array> };
type Partition = { status: number; pattern: Uint8Array; headerByteCount: number; footer: number; headerStart: number };

class MxfError extends Error {}

function isSmpte(bytes: Uint8Array, at = 0): boolean {
  return SMPTE.every((b, i) => bytes[at + i] === b);
}

/** BER length at `at`: value and the bytes it took. */
function ber(bytes: Uint8Array, at: number): { length: number; size: number } {
  const first = bytes[at];
  if (first === undefined) throw new MxfError(`the file ends inside a KLV length at ${at}`);
  if (first < 0x80) return { length: first, size: 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 8 || at + 1 + n > bytes.byteLength) throw new MxfError(`invalid KLV length at ${at}`);
  let length = 0;
  for (let i = 1; i <= n; i++) length = length * 256 + bytes[at + i]!;
  return { length, size: 1 + n };
}

/** Partition pack key: 06 0E 2B 34 02 05 01 01 0D 01 02 01 01 kind status 00 (kind 02 header, 04 footer). */
function isPartitionPack(key: Uint8Array): boolean {
  return isSmpte(key) && key[4] === 0x02 && key[5] === 0x05 && key[8] === 0x0d && key[9] === 0x01 && key[10] === 0x02 && key[11] === 0x01 && key[12] === 0x01;
}

async function readPartition(source: RangeSource, offset: number): Promise<Partition> {
  const head = await readExactly(source, offset, 16 + 9 + 88, "MXF partition pack");
  if (!isPartitionPack(head)) throw new MxfError(`no MXF partition pack at offset ${offset}`);
  const { length, size } = ber(head, 16);
  if (length < 88) throw new MxfError(`the partition pack at ${offset} is ${length} bytes, too short`);
  const value = 16 + size;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const u64 = (at: number) => Number(v.getBigUint64(value + at));
  return {
    status: head[14]!,
    footer: u64(24),
    headerByteCount: u64(32),
    pattern: head.slice(value + 64, value + 80),
    headerStart: offset + 16 + size + length,
  };
}

/** The local sets of a header metadata block (fill and primer KLVs are skipped). */
function localSets(bytes: Uint8Array): LocalSet[] {
  const sets: LocalSet[] = [];
  for (let at = 0; at + 17 <= bytes.byteLength;) {
    if (sets.length > MAX_SETS) throw new MxfError(`more than ${MAX_SETS} metadata sets`);
    if (!isSmpte(bytes, at)) throw new MxfError(`invalid KLV key at metadata offset ${at}`);
    const { length, size } = ber(bytes, at + 16);
    const start = at + 16 + size;
    const end = start + length;
    if (end > bytes.byteLength) throw new MxfError(`a metadata set runs past the header metadata (offset ${at})`);
    // Structural metadata: 06 0E 2B 34 02 53 01 01 0D 01 01 01 01 01 kind 00.
    if (bytes[at + 4] === 0x02 && bytes[at + 5] === 0x53 && bytes[at + 8] === 0x0d && bytes[at + 12] === 0x01 && bytes[at + 13] === 0x01) {
      const tags = new Map<number, Uint8Array>();
      for (let t = start; t + 4 <= end;) {
        const tag = (bytes[t]! << 8) | bytes[t + 1]!;
        const len = (bytes[t + 2]! << 8) | bytes[t + 3]!;
        if (t + 4 + len > end) throw new MxfError(`a local tag runs past its set (offset ${t})`);
        tags.set(tag, bytes.subarray(t + 4, t + 4 + len));
        t += 4 + len;
      }
      sets.push({ kind: bytes[at + 14]!, tags });
    }
    at = end;
  }
  return sets;
}

const SET = {
  sequence: 0x0f,
  timecode: 0x14,
  track: 0x3b,
  cdci: 0x28,
  rgba: 0x29,
  mpegVideo: 0x51,
  sound: 0x42,
  aes3: 0x47,
  wave: 0x48,
} as const;
const PICTURE = new Set<number>([SET.cdci, SET.rgba, SET.mpegVideo]);
const SOUND = new Set<number>([SET.sound, SET.aes3, SET.wave]);

function uint(b: Uint8Array | undefined): number | undefined {
  if (!b || b.byteLength === 0 || b.byteLength > 8) return undefined;
  let n = 0;
  for (const x of b) n = n * 256 + x;
  return n;
}

function int64(b: Uint8Array | undefined): number | undefined {
  if (!b || b.byteLength !== 8) return undefined;
  const n = Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0));
  return n >= 0 ? n : undefined; // -1: unknown (open partitions)
}

function rational(b: Uint8Array | undefined): number | undefined {
  if (!b || b.byteLength !== 8) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, 8);
  const num = v.getInt32(0);
  const den = v.getInt32(4);
  return num > 0 && den > 0 ? num / den : undefined;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Picture essence coding ULs (SMPTE RP 224, 06 0E 2B 34 04 01 01 vv 04 01 02 02 …),
 * matched on bytes 8 onwards (the registry version byte 7 varies).
 */
const PICTURE_CODING: Array<[string, string, string]> = [
  // [hex prefix from byte 8, ffmpeg-like id, human name]
  ["0401020201040300", "mpeg2video", "MPEG-2 422P@HL Long GOP"],
  ["0401020201040200", "mpeg2video", "MPEG-2 422P@HL I-frame"],
  ["04010202010402", "mpeg2video", "MPEG-2 422P@HL"],
  ["04010202010403", "mpeg2video", "MPEG-2 422P@HL Long GOP"],
  ["04010202010203", "mpeg2video", "MPEG-2 422P@ML Long GOP"],
  ["040102020102", "mpeg2video", "MPEG-2 422P@ML"],
  ["040102020103", "mpeg2video", "MPEG-2 MP@HL"],
  ["040102020105", "mpeg2video", "MPEG-2 MP@H-14"],
  ["040102020101", "mpeg2video", "MPEG-2 MP@ML"],
  ["0401020201322", "h264", "H.264 High 10 Intra (AVC-Intra 50 class)"],
  ["0401020201323", "h264", "H.264 High 4:2:2 Intra (AVC-Intra 100 class)"],
  ["04010202013", "h264", "H.264"],
  ["04010202010", "mpeg2video", "MPEG-2 Video"],
  ["04010202030106", "prores", "Apple ProRes"],
  ["0401020203010", "jpeg2000", "JPEG 2000"],
  ["0401020271", "dnxhd", "Avid DNxHD (VC-3)"],
  ["04010202020", "dvvideo", "DV"],
  ["0401020101", "rawvideo", "Uncompressed"],
];

function pictureCoding(ul: Uint8Array | undefined): { codec?: string; codecName?: string } {
  if (!ul || ul.byteLength !== 16) return {};
  const tail = hex(ul.subarray(8));
  const hit = PICTURE_CODING.find(([prefix]) => tail.startsWith(prefix));
  return hit ? { codec: hit[1], codecName: hit[2] } : { codecName: `unknown (${hex(ul)})` };
}

/**
 * Sound: AES3 and Broadcast Wave descriptors carry PCM (little-endian in
 * BWF/AES3 wrapping); other sound essence coding is named by its UL.
 */
function soundCodec(kind: number, bits: number | undefined): string | undefined {
  if (kind === SET.wave || kind === SET.aes3) return bits ? `pcm_s${bits}le` : "pcm";
  return undefined;
}

/**
 * Operational pattern UL (06 0E 2B 34 04 01 01 vv 0D 01 02 01 …): byte 12 is
 * the item complexity 1–3 with byte 13 the package complexity a–c, or 0x10
 * for OP-Atom (one essence per file: Avid, P2 cards).
 */
export function operationalPattern(ul: Uint8Array): string | undefined {
  if (!isSmpte(ul) || ul[8] !== 0x0d || ul[9] !== 0x01 || ul[10] !== 0x02 || ul[11] !== 0x01) return undefined;
  const item = ul[12];
  const pkg = ul[13];
  if (item === 0x10) return "OPAtom";
  if (!item || item > 3 || !pkg || pkg > 3) return undefined;
  return `OP${item}${"abc"[pkg - 1]}`;
}

async function metadataOf(source: RangeSource, partition: Partition): Promise<LocalSet[]> {
  if (partition.headerByteCount === 0) return [];
  if (partition.headerByteCount > MAX_METADATA_BYTES) {
    throw new MxfError(`the header metadata is ${partition.headerByteCount} bytes, more than the ${MAX_METADATA_BYTES} bytes this service reads`);
  }
  let start = partition.headerStart;
  // A KLV fill item may sit between the partition pack and the metadata.
  const probe = await readExactly(source, start, 17, "MXF header metadata");
  if (isSmpte(probe) && probe[4] === 0x01 && probe[5] === 0x01 && probe[8] === 0x03 && probe[9] === 0x01 && probe[10] === 0x02 && probe[11] === 0x10) {
    const fillHead = await readExactly(source, start, 25, "MXF fill item");
    const { length, size } = ber(fillHead, 16);
    start += 16 + size + length;
  }
  const bytes = await readExactly(source, start, partition.headerByteCount, "MXF header metadata");
  return localSets(bytes);
}

export async function extractMxf(source: RangeSource): Promise<Extraction> {
  const technical: Technical = { container: "mxf" };
  let sets: LocalSet[];
  try {
    // The operational pattern (OP1a, OPAtom…) does not change where the header metadata is;
    // an unknown one is read the same way.
    const header = await readPartition(source, 0);
    // 0x01 open incomplete, 0x02 closed incomplete, 0x03 open complete, 0x04 closed complete.
    const complete = header.status === 0x04;
    sets = await metadataOf(source, header);
    if (!complete && header.footer > 0 && header.footer < source.size) {
      const footer = await readPartition(source, header.footer);
      if (footer.headerByteCount > 0) sets = await metadataOf(source, footer);
    }
  } catch (e) {
    return { technical, problem: e instanceof MxfError ? problem("damaged", e.message) : problemFromError(e, "MXF structure") };
  }
  fill(technical, sets);
  if (technical.durationSeconds) technical.bitRate = Math.floor((source.size * 8) / technical.durationSeconds);
  if (!technical.videoCodec && !technical.audioCodec) {
    return { technical, problem: problem("unsupported_format", "no picture or sound descriptor this service reads") };
  }
  return { technical, problem: null };
}

function fill(technical: Technical, sets: LocalSet[]) {
  const byUid = new Map<string, LocalSet>();
  for (const s of sets) {
    const uid = s.tags.get(0x3c0a);
    if (uid) byUid.set(hex(uid), s);
  }
  // Duration: the longest sequence of a timeline track, in the track's edit rate.
  let duration = 0;
  for (const track of sets.filter((s) => s.kind === SET.track)) {
    const rate = rational(track.tags.get(0x4b01));
    const seqRef = track.tags.get(0x4803);
    const sequence = seqRef ? byUid.get(hex(seqRef)) : undefined;
    const length = int64(sequence?.tags.get(0x0202));
    if (rate && length !== undefined) duration = Math.max(duration, length / rate);
  }
  if (duration > 0) technical.durationSeconds = Math.round(duration * 1000) / 1000;

  const timecode = sets.find((s) => s.kind === SET.timecode);
  if (timecode) {
    const start = int64(timecode.tags.get(0x1501));
    const base = uint(timecode.tags.get(0x1502));
    const drop = uint(timecode.tags.get(0x1503)) === 1;
    if (start !== undefined && base) technical.startTimecode = framesToTimecode(start, base, drop);
  }

  const tracks: TrackInfo[] = [];
  for (const s of sets) {
    if (PICTURE.has(s.kind)) {
      const info: TrackInfo = { kind: "video", ...pictureCoding(s.tags.get(0x3201)) };
      // Display size (without the coded padding: 1088 → 1080), else the stored size.
      const width = uint(s.tags.get(0x3209)) || uint(s.tags.get(0x3203));
      const height = uint(s.tags.get(0x3208)) || uint(s.tags.get(0x3202));
      // Heights are per field for separated-field layouts (FrameLayout 1).
      const layout = uint(s.tags.get(0x320c));
      if (width) info.width = width;
      if (height) info.height = layout === 1 ? height * 2 : height;
      const rate = rational(s.tags.get(0x3001));
      if (rate) info.frameRate = Math.round(rate * 100) / 100;
      const depth = uint(s.tags.get(0x3301));
      if (depth) info.bitDepth = depth;
      tracks.push(info);
    } else if (SOUND.has(s.kind)) {
      const info: TrackInfo = { kind: "audio" };
      const bits = uint(s.tags.get(0x3d01));
      const codec = soundCodec(s.kind, bits);
      if (codec) info.codec = codec;
      if (bits) info.bitDepth = bits;
      const channels = uint(s.tags.get(0x3d07));
      if (channels) info.channels = channels;
      const rate = rational(s.tags.get(0x3d03));
      if (rate) info.sampleRate = Math.round(rate);
      tracks.push(info);
    }
  }
  summarise(technical, tracks);
}
