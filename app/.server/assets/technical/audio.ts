import { parseBlob, type IAudioMetadata } from "music-metadata";
import { blockCachedSource } from "./range-source";
import type { Extraction, RangeSource, Sniffed, Technical } from "./types";

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
    return { technical, problem: `the ${container ?? "media"} structure could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
  const f = metadata.format;
  if (f.duration !== undefined && Number.isFinite(f.duration) && f.duration > 0) {
    technical.durationSeconds = Math.round(f.duration * 1000) / 1000;
    technical.bitRate = Math.floor((source.size * 8) / f.duration); // truncated, as ffprobe does
  }
  const audioCodec = audioCodecName(f.codec, f.bitsPerSample, container);
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
    const name = id.includes("AVC") ? "h264" : id.includes("HEVC") ? "hevc" : id.includes("VP9") ? "vp9" : id.includes("VP8") ? "vp8" : id.includes("AV1") ? "av1" : undefined;
    if (name) technical.videoCodec = name;
  }
  if (sniffed.kind === "audio" && !technical.audioSampleRate && !technical.durationSeconds) {
    return { technical, problem: "no audio stream parameters could be read: the file is damaged or truncated" };
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
