import { parseBlob, type IAudioMetadata } from "music-metadata";
import { blockCachedSource } from "./range-source";
import { problem, problemFromError } from "./problems";
import { secondsToTimecode } from "./timecode";
import type { Extraction, RangeSource, Sniffed, Technical } from "./types";
import { extensibleCodec, readIxmlTimecode, readWavFormat } from "./wav";

/** BWF carries no frame rate; without an iXML TIMECODE_RATE the time reference is shown at 30 fps non-drop. */
export const BWF_DEFAULT_RATE = 30;

/**
 * Audio files (WAV, MP3, FLAC, AIFF, Ogg, …) and Matroska/WebM through
 * music-metadata. The parser reads through a block cache over the
 * RangeSource (random access: a WAV `data` chunk is skipped, not read).
 * Durations of MP3 files without a Xing/VBRI header are estimated from the
 * first frames (music-metadata's default), not by scanning the whole file.
 */
export async function extractWithMusicMetadata(source: RangeSource, sniffed: Sniffed): Promise<Extraction> {
  const container = sniffed.container ?? undefined;
  const technical: Technical = container ? { container } : {};
  const cached = blockCachedSource(source);
  let metadata: IAudioMetadata;
  try {
    metadata = await parseBlob(rangeBlob(cached, sniffed.contentType), {
      duration: false,
      skipCovers: true,
      skipPostHeaders: true,
      mkvUseIndex: true,
    });
  } catch (e) {
    // strtok3 signals reading past the end of the file with an EndOfStreamError.
    if (e instanceof Error && e.name === "EndOfStreamError") return { technical, problem: problem("truncated", e.message) };
    return { technical, problem: problemFromError(e, `${container ?? "media"} structure`) };
  }
  const f = metadata.format;
  if (f.duration !== undefined && Number.isFinite(f.duration) && f.duration > 0) {
    technical.durationSeconds = Math.round(f.duration * 1000) / 1000;
    technical.bitRate = Math.floor((source.size * 8) / f.duration); // truncated, as ffprobe does
  }
  let audioCodec = audioCodecName(f.codec, f.bitsPerSample, container);
  if (container === "wav") {
    const wav = await wavDetails(cached, metadata, f.sampleRate);
    if (wav.codec) audioCodec = wav.codec;
    if (wav.bitDepth) technical.audioBitDepth = wav.bitDepth;
    if (wav.startTimecode) technical.startTimecode = wav.startTimecode;
  }
  if (audioCodec && (sniffed.kind === "audio" || f.hasAudio)) technical.audioCodec = audioCodec;
  if (f.numberOfChannels) technical.audioChannels = f.numberOfChannels;
  if (f.sampleRate) technical.audioSampleRate = f.sampleRate;
  const video = metadata.format.trackInfo?.find((t) => t.video);
  if (video?.video) {
    const w = video.video.pixelWidth;
    const h = video.video.pixelHeight;
    if (w && h) {
      technical.width = w;
      technical.height = h;
    }
    // Matroska codec ids: V_MPEG4/ISO/AVC, V_VP9, V_AV1, …
    const id = video.codecName?.toUpperCase() ?? "";
    const name = id.includes("AVC")
      ? "h264"
      : id.includes("HEVC")
        ? "hevc"
        : id.includes("VP9")
          ? "vp9"
          : id.includes("VP8")
            ? "vp8"
            : id.includes("AV1")
              ? "av1"
              : undefined;
    if (name) technical.videoCodec = name;
  }
  if (sniffed.kind === "audio" && !technical.audioSampleRate && !technical.durationSeconds) {
    return { technical, problem: problem("damaged", "no audio stream parameters could be read") };
  }
  return { technical, problem: null };
}

/**
 * ffmpeg-style codec names from music-metadata's codec strings. PCM in WAV is
 * little-endian (pcm_s16le, pcm_s24le, pcm_u8), in AIFF big-endian.
 */
export function audioCodecName(codec: string | undefined, bits: number | undefined, container: string | undefined): string | undefined {
  if (!codec) return undefined;
  const c = codec.toUpperCase();
  if (c === "PCM" || c.startsWith("PCM")) {
    if (bits === 8) return "pcm_u8";
    const endian = container === "aiff" ? "be" : "le";
    return bits ? `pcm_s${bits}${endian}` : "pcm";
  }
  if (c.includes("FLOAT")) return bits ? `pcm_f${bits}${container === "aiff" ? "be" : "le"}` : "pcm_float";
  if (c.includes("LAYER 3")) return "mp3";
  if (c.includes("LAYER 2")) return "mp2";
  if (c.includes("AAC")) return "aac";
  if (c.includes("FLAC")) return "flac";
  if (c.includes("VORBIS")) return "vorbis";
  if (c.includes("OPUS")) return "opus";
  if (c.includes("ALAC")) return "alac";
  if (c.includes("E-AC-3") || c === "EAC3") return "eac3";
  if (c.includes("AC-3") || c === "AC3") return "ac3";
  return codec.toLowerCase();
}

/**
 * The part of the Blob interface strtok3's BlobTokenizer uses (size, type,
 * slice().arrayBuffer()), over a RangeSource.
 */
function rangeBlob(source: RangeSource, type: string, start = 0, end = source.size): Blob {
  const blobLike = {
    size: end - start,
    type,
    slice(from = 0, to = end - start) {
      const a = start + Math.max(0, from);
      const b = Math.min(end, start + Math.max(0, to));
      return rangeBlob(source, type, a, Math.max(a, b));
    },
    async arrayBuffer() {
      const bytes = await source.read(start, end - start);
      return bytes.slice().buffer;
    },
  };
  return blobLike as unknown as Blob;
}

/**
 * WAV facts music-metadata does not give: the PCM/float sub-format and bit
 * depth of WAVE_FORMAT_EXTENSIBLE, the bit depth of plain PCM, and the
 * Broadcast WAV `bext` TimeReference (samples since midnight; music-metadata
 * reports it as the native tags bext.timeReferenceLow/High) as a start
 * timecode at the iXML frame rate.
 */
async function wavDetails(
  source: RangeSource,
  metadata: IAudioMetadata,
  sampleRate: number | undefined,
): Promise<{ codec?: string; bitDepth?: number; startTimecode?: string }> {
  const out: { codec?: string; bitDepth?: number; startTimecode?: string } = {};
  const format = await readWavFormat(source);
  const extensible = format ? extensibleCodec(format) : undefined;
  if (extensible) {
    out.codec = extensible.codec;
    out.bitDepth = extensible.bitDepth;
  } else if (format && (format.formatTag === 1 || format.formatTag === 3)) {
    out.bitDepth = format.bitsPerSample;
  }
  const tags = metadata.native?.exif ?? [];
  const low = tags.find((t) => t.id === "bext.timeReferenceLow")?.value;
  const high = tags.find((t) => t.id === "bext.timeReferenceHigh")?.value;
  if (typeof low === "number" && typeof high === "number" && sampleRate) {
    const samples = high * 2 ** 32 + low;
    const ixml = await readIxmlTimecode(source);
    out.startTimecode = secondsToTimecode(samples / sampleRate, ixml?.rate ?? BWF_DEFAULT_RATE, ixml?.dropFrame ?? false);
  }
  return out;
}
