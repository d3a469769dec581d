import { createFile, Log, MP4BoxBuffer, type Movie, type Track } from "mp4box";
import { codecName, dnxName, humanCodecName, pcmCodec, proResBitDepth } from "./codecs";
import { problem, problemFromError, DamagedError } from "./problems";
import { readExactly, TruncatedError } from "./range-source";
import { framesToTimecode } from "./timecode";
import { readSoundEntry, readVisualEntry } from "./sample-entries";
import { summarise } from "./tracks";
import type { Extraction, Problem, RangeSource, Technical, TrackInfo } from "./types";

// mp4box logs warnings on console by default; keep only errors.
Log.setLogLevel(Log.error);

/** moov boxes larger than this are refused (a long recording has a few MiB). */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Top-level boxes examined before giving up on finding moov (each costs one read). */
const MAX_TOP_LEVEL_BOXES = 256;

type TopBox = { type: string; start: number; size: number; headerSize: number };

/**
 * MP4 / MOV / M4A / 3GP: walks the top-level boxes with one small read per
 * box header, reads only `ftyp` and `moov` (never `mdat`, wherever moov is),
 * and hands those two to mp4box at their real file offsets. The start
 * timecode comes from a QuickTime `tmcd` track (one more 4-byte read).
 */
export async function extractIsoBmff(source: RangeSource, container: string): Promise<Extraction> {
  const technical: Technical = { container };
  let boxes: { ftyp?: TopBox; moov?: TopBox };
  try {
    boxes = await findTopLevelBoxes(source);
  } catch (e) {
    return { technical, problem: problemFromError(e, "movie structure") };
  }
  const { ftyp, moov } = boxes;
  if (!moov) {
    return {
      technical,
      problem: problem("truncated", "no 'moov' box (movie header) was found: the file is incomplete (truncated upload or unfinished recording) or not a movie"),
    };
  }
  if (moov.start + moov.size > source.size) {
    return {
      technical,
      problem: problem("truncated", `the 'moov' box runs past the end of the file (${moov.start + moov.size} > ${source.size} bytes): the file is truncated`),
    };
  }
  if (moov.size > MAX_MOOV_BYTES) {
    return { technical, problem: problem("too_complex", `the 'moov' box is ${moov.size} bytes, more than the ${MAX_MOOV_BYTES} bytes this service reads`) };
  }

  let moovBytes: Uint8Array;
  let parsed: { info: Movie; file: ReturnType<typeof createFile> };
  try {
    const ftypBytes = ftyp && ftyp.size <= 4096 ? await readExactly(source, ftyp.start, ftyp.size, "'ftyp' box") : undefined;
    moovBytes = await readExactly(source, moov.start, moov.size, "'moov' box");
    parsed = parseWithMp4box(ftyp && ftypBytes ? { box: ftyp, bytes: ftypBytes } : undefined, { box: moov, bytes: moovBytes });
  } catch (e) {
    return { technical, problem: problemFromError(e, "movie structure") };
  }

  const { info, file } = parsed;
  fillFromMovie(technical, info, source.size);
  const tracks = readTracks(file, info, moov.start, moovBytes);
  for (const t of tracks) {
    if (t.fourcc === "AVdn" || t.fourcc === "AVdh") {
      try {
        await readDnxHeader(source, t.trak, t.info);
      } catch {
        // The profile name is a nicety: the family name from the sample entry stays.
      }
    }
  }
  summarise(
    technical,
    tracks.map((t) => t.info),
  );

  let found: Problem | null = null;
  try {
    const timecode = await startTimecode(source, file, moov.start, moovBytes);
    if (timecode) technical.startTimecode = timecode;
  } catch (e) {
    const cause = problemFromError(e, "timecode track");
    found = { ...cause, detail: `the timecode track could not be read: ${cause.detail}` };
  }
  if (technical.durationSeconds === undefined && !info.isFragmented) {
    found ??= problem("damaged", "the movie header gives no duration");
  }
  return { technical, problem: found };
}

async function findTopLevelBoxes(source: RangeSource): Promise<{ ftyp?: TopBox; moov?: TopBox }> {
  const found: { ftyp?: TopBox; moov?: TopBox } = {};
  let offset = 0;
  for (let count = 0; offset + 8 <= source.size; count++) {
    if (count >= MAX_TOP_LEVEL_BOXES) {
      throw new DamagedError(`more than ${MAX_TOP_LEVEL_BOXES} top-level boxes before the 'moov' box`);
    }
    const header = await source.read(offset, 16);
    if (header.byteLength < 8) break;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let size = view.getUint32(0);
    const type = String.fromCharCode(header[4]!, header[5]!, header[6]!, header[7]!);
    let headerSize = 8;
    if (size === 1) {
      if (header.byteLength < 16) throw new TruncatedError(`the file ends inside the header of the '${printable(type)}' box at offset ${offset}`);
      size = Number(view.getBigUint64(8));
      headerSize = 16;
    } else if (size === 0) {
      size = source.size - offset; // the box runs to the end of the file
    }
    if (size < headerSize || !/^[\x20-\x7e]{4}$/.test(type)) {
      throw new DamagedError(`invalid box header at offset ${offset} (type '${printable(type)}', size ${size}): the file is damaged`);
    }
    const box: TopBox = { type, start: offset, size, headerSize };
    if (type === "ftyp" && !found.ftyp) found.ftyp = box;
    if (type === "moov") {
      found.moov = box;
      break;
    }
    offset += size;
  }
  return found;
}

/**
 * mp4box parses a stream of buffers that must be contiguous from its current
 * position. Between ftyp and moov (and before moov when there is no ftyp) we
 * append a synthetic `mdat` header covering the gap, which mp4box skips
 * without wanting its payload, so every real byte keeps its real file offset.
 */
function parseWithMp4box(
  ftyp: { box: TopBox; bytes: Uint8Array } | undefined,
  moov: { box: TopBox; bytes: Uint8Array },
): { info: Movie; file: ReturnType<typeof createFile> } {
  const file = createFile();
  let info: Movie | undefined;
  let error: string | undefined;
  file.onReady = (movie: Movie) => {
    info = movie;
  };
  file.onError = (module: string, message: string) => {
    error = `${module}: ${message}`;
  };
  const parts = [ftyp, moov].filter((p): p is { box: TopBox; bytes: Uint8Array } => !!p).sort((a, b) => a.box.start - b.box.start);
  let position = 0;
  for (const part of parts) {
    if (part.box.start > position) append(file, gapHeader(part.box.start - position), position);
    append(file, part.bytes, part.box.start);
    position = part.box.start + part.box.size;
  }
  file.flush();
  if (!info) throw new DamagedError(`the 'moov' box could not be parsed${error ? ` (${error})` : ""}: the file is damaged`);
  return { info, file };
}

function append(file: ReturnType<typeof createFile>, bytes: Uint8Array, fileStart: number) {
  const copy = bytes.slice().buffer as ArrayBuffer;
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, fileStart));
}

function gapHeader(size: number): Uint8Array {
  const large = size > 0xffffffff;
  const bytes = new Uint8Array(large ? 16 : 8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, large ? 1 : size);
  bytes.set([0x6d, 0x64, 0x61, 0x74], 4); // "mdat"
  if (large) view.setBigUint64(8, BigInt(size));
  return bytes;
}

type Mp4File = ReturnType<typeof createFile>;
type Trak = NonNullable<Mp4File["moov"]>["traks"][number];

function fillFromMovie(technical: Technical, info: Movie, fileSize: number) {
  let duration = info.timescale > 0 ? info.duration / info.timescale : 0;
  if (!(duration > 0)) {
    for (const t of info.tracks) {
      if (t.timescale > 0) duration = Math.max(duration, t.duration / t.timescale);
    }
  }
  if (duration > 0) {
    technical.durationSeconds = roundTo(duration, 3);
    technical.bitRate = Math.floor((fileSize * 8) / duration); // truncated, as ffprobe does
  }
}

/**
 * Every video (`vide`) and audio (`soun`) track, decided by the handler and
 * not by mp4box's track type: mp4box reports sample entries it does not know
 * by name (ProRes, DNx, in24, lpcm…) as "metadata" tracks without video or
 * audio fields, so those fields are read from the entry bytes here.
 */
function readTracks(file: Mp4File, info: Movie, moovStart: number, moovBytes: Uint8Array): Array<{ info: TrackInfo; fourcc: string; trak: Trak }> {
  const out: Array<{ info: TrackInfo; fourcc: string; trak: Trak }> = [];
  for (const trak of file.moov?.traks ?? []) {
    const handler = trak.mdia?.hdlr?.handler;
    if (handler !== "vide" && handler !== "soun") continue;
    const track = info.tracks.find((t) => t.id === trak.tkhd?.track_id);
    const entry = trak.mdia.minf.stbl.stsd?.entries?.[0];
    const fourcc = entry?.type ?? track?.codec.split(".")[0] ?? "";
    const bytes = entryBytes(entry, moovStart, moovBytes);
    const read = handler === "vide" ? videoTrack(track, fourcc, bytes) : audioTrack(file, track, fourcc, bytes);
    out.push({ info: read, fourcc, trak });
  }
  return out;
}

function entryBytes(entry: { start?: number; size?: number } | undefined, moovStart: number, moovBytes: Uint8Array): Uint8Array | undefined {
  if (!entry || typeof entry.start !== "number" || typeof entry.size !== "number") return undefined;
  const at = entry.start - moovStart;
  if (at < 0 || entry.size < 8 || at + entry.size > moovBytes.byteLength) return undefined;
  return moovBytes.subarray(at, at + entry.size);
}

function videoTrack(track: Track | undefined, fourcc: string, bytes: Uint8Array | undefined): TrackInfo {
  const visual = bytes ? readVisualEntry(bytes) : undefined;
  const info: TrackInfo = { kind: "video" };
  const codec = codecName(track?.codec ?? fourcc);
  if (codec) info.codec = codec;
  const human = humanCodecName(fourcc);
  if (human) info.codecName = human;
  const width = track?.video?.width || visual?.width || track?.track_width;
  const height = track?.video?.height || visual?.height || track?.track_height;
  if (width && width > 0) info.width = width;
  if (height && height > 0) info.height = height;
  const rate = track ? frameRate(track) : undefined;
  if (rate) info.frameRate = rate;
  const depth = proResBitDepth(fourcc);
  if (depth) info.bitDepth = depth;
  return info;
}

function audioTrack(file: Mp4File, track: Track | undefined, fourcc: string, bytes: Uint8Array | undefined): TrackInfo {
  const sound = bytes ? readSoundEntry(bytes) : undefined;
  const info: TrackInfo = { kind: "audio" };
  const pcm = pcmCodec(fourcc, sound);
  const codec = pcm?.codec ?? codecName(track?.codec ?? fourcc);
  if (codec) info.codec = codec;
  if (pcm) info.bitDepth = pcm.bitDepth;
  const channels = aacChannels(file, track?.id) ?? (track?.audio?.channel_count || sound?.channels);
  if (channels) info.channels = channels;
  const rate = track?.audio?.sample_rate || sound?.sampleRate;
  if (rate) info.sampleRate = Math.round(rate);
  return info;
}

/**
 * DNxHD/DNxHR: the compression id (profile) and bit depth live only in the
 * frame header (SMPTE ST 2019-1: prefix 00 00 02 80 01–03, bit depth in the
 * top 3 bits of byte 0x21 (1: 8, 2: 10, 3: 12), CID at 0x28, 32-bit
 * big-endian), so the first 44 bytes of the first frame are read.
 */
async function readDnxHeader(source: RangeSource, trak: Trak, into: TrackInfo): Promise<void> {
  const location = firstSampleLocation(trak.mdia.minf.stbl);
  if (!location || location.size < 0x2c) return;
  const header = await source.read(location.offset, 0x2c);
  if (header.byteLength < 0x2c || header[0] !== 0 || header[1] !== 0 || header[2] !== 2 || header[3] !== 0x80) return;
  const cid = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(0x28);
  into.codecName = dnxName(cid);
  const depth = ({ 1: 8, 2: 10, 3: 12 } as Record<number, number>)[header[0x21]! >> 5];
  if (depth) into.bitDepth = depth;
}

/**
 * The channel count of AAC comes from its AudioSpecificConfig (ISO/IEC
 * 14496-3 1.6.2.1) inside esds; the sample entry's channelcount field is
 * a template value (writers put 2 there for mono too).
 */
function aacChannels(file: ReturnType<typeof createFile>, trackId: number | undefined): number | undefined {
  if (trackId === undefined) return undefined;
  try {
    const trak = file.moov?.traks.find((t) => t.tkhd?.track_id === trackId);
    const entry = trak?.mdia.minf.stbl.stsd.entries[0] as { esds?: EsdsLike; wave?: { esds?: EsdsLike } } | undefined;
    const esd = (entry?.esds ?? entry?.wave?.esds)?.esd;
    const dsi = esd?.findDescriptor(4)?.findDescriptor?.(5)?.data; // DecoderConfig → DecoderSpecificInfo
    if (!dsi || dsi.byteLength < 2) return undefined;
    let bit = 0;
    const bits = (n: number) => {
      let v = 0;
      for (let i = 0; i < n; i++, bit++) v = (v << 1) | (((dsi[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
      return v;
    };
    if (bits(5) === 31) bits(6); // audioObjectType escape
    if (bits(4) === 15) bits(24); // explicit sampling frequency
    const config = bits(4);
    if (config >= 1 && config <= 6) return config;
    if (config === 7) return 8;
    return undefined; // 0: described by a program config element; keep the sample entry's value
  } catch {
    return undefined;
  }
}

type EsdsLike = {
  esd?: { findDescriptor(tag: number): { findDescriptor?(tag: number): { data?: Uint8Array } | undefined } | undefined };
};

/** Average frame rate (constant-rate files give timescale / sample delta), 2 decimals. */
function frameRate(track: Track): number | undefined {
  const seconds = track.samples_duration / track.timescale;
  if (!(track.nb_samples > 0) || !(seconds > 0)) return undefined;
  return roundTo(track.nb_samples / seconds, 2);
}

/**
 * Start timecode of the first QuickTime timecode (`tmcd`) track.
 *
 * mp4box does not decode the tmcd sample description, so its 34 bytes are
 * read from the moov bytes at the offset mp4box recorded for the entry
 * (QuickTime File Format, "Timecode sample description"):
 *   size(4) 'tmcd'(4) reserved(6) data-reference-index(2) reserved(4)
 *   flags(4: 0x1 drop frame, 0x2 wraps at 24 h, 0x4 negative allowed, 0x8 counter)
 *   timescale(4) frame-duration(4) number-of-frames(1) reserved(1)
 * The first sample (a big-endian 32-bit frame number) lives in mdat; its
 * position comes from the chunk offsets (stco/co64), sample-to-chunk (stsc)
 * and sample sizes (stsz), and it is fetched with one 4-byte range read.
 */
async function startTimecode(source: RangeSource, file: ReturnType<typeof createFile>, moovStart: number, moovBytes: Uint8Array): Promise<string | undefined> {
  const traks = file.moov?.traks ?? [];
  const trak = traks.find((t) => t.mdia?.hdlr?.handler === "tmcd" || t.mdia?.minf?.stbl?.stsd?.entries?.[0]?.type === "tmcd");
  if (!trak) return undefined;
  const stbl = trak.mdia.minf.stbl;
  const entry = stbl.stsd?.entries?.[0];
  if (!entry || entry.type !== "tmcd" || typeof entry.start !== "number") throw new DamagedError("no timecode sample description");
  const at = entry.start - moovStart;
  if (at < 0 || at + 34 > moovBytes.byteLength) throw new DamagedError("the timecode sample description is cut short");
  const view = new DataView(moovBytes.buffer, moovBytes.byteOffset + at, 34);
  const flags = view.getUint32(20);
  const timescale = view.getUint32(24);
  const frameDuration = view.getUint32(28);
  let fps = view.getUint8(32);
  if (!fps && timescale > 0 && frameDuration > 0) fps = Math.round(timescale / frameDuration);
  if (!fps) throw new DamagedError("the timecode track gives no frame rate");
  if (flags & 0x8) return undefined; // a plain counter, not a time of day

  const location = firstSampleLocation(stbl);
  if (!location) throw new DamagedError("the timecode track has no samples");
  if (location.size < 4) throw new DamagedError(`the timecode sample is ${location.size} bytes, not 4`);
  const sample = await readExactly(source, location.offset, 4, "timecode sample");
  const frame = new DataView(sample.buffer, sample.byteOffset, 4).getUint32(0);
  const dropFrame = (flags & 0x1) !== 0;
  // Without the 24-hour flag the count still never exceeds a day in practice.
  return framesToTimecode(frame, fps, dropFrame, true);
}

type Stbl = NonNullable<ReturnType<typeof createFile>["moov"]>["traks"][number]["mdia"]["minf"]["stbl"];

/** Byte offset and size of sample 0 from stco/co64, stsc and stsz. */
function firstSampleLocation(stbl: Stbl): { offset: number; size: number } | undefined {
  const offsets = stbl.stco?.chunk_offsets ?? stbl.co64?.chunk_offsets;
  const chunkOffset = offsets?.[0];
  if (chunkOffset === undefined) return undefined;
  // Sample 0 is the first sample of the first chunk that has any samples.
  const stsc = stbl.stsc;
  if (stsc && stsc.first_chunk.length > 0 && !((stsc.samples_per_chunk[0] ?? 0) > 0)) return undefined;
  const stsz = stbl.stsz;
  const size = stsz ? stsz.sample_size || stsz.sample_sizes?.[0] || 0 : 4;
  return { offset: Number(chunkOffset), size };
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?");
}
