import type { ProblemCode } from "~/schemas/assets";
/**
 * Public types of the technical-metadata module (see README.md beside this file).
 */

/** Random access to the bytes of one stored object. */
export type RangeSource = {
  /** Total size in bytes. */
  size: number;
  /**
   * Bytes [offset, offset + length), clamped to the end of the object: may
   * return fewer bytes (none at or past the end). Rejects on I/O errors.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
};

export type AssetKind = "video" | "audio" | "image" | "other";

export type Sniffed = {
  /** MIME type detected from the bytes; application/octet-stream when unknown. */
  contentType: string;
  kind: AssetKind;
  /** Short container name ("mp4", "mov", "wav", "jpeg", …); null when unknown or not media. */
  container: string | null;
};

/** One video or audio track/stream as read from the container. */
export type TrackInfo = {
  kind: "video" | "audio";
  /** ffmpeg-like short codec id ("prores", "dnxhd", "pcm_s24le", "h264"). */
  codec?: string;
  /** Human name with profile when known ("Apple ProRes 422 Proxy", "Avid DNxHD"). */
  codecName?: string;
  width?: number;
  height?: number;
  frameRate?: number;
  /** Bits per sample (audio) or per component (video), when the container says. */
  bitDepth?: number;
  channels?: number;
  sampleRate?: number;
};

export type Technical = {
  container?: string;
  durationSeconds?: number;
  width?: number;
  height?: number;
  frameRate?: number;
  videoCodec?: string;
  /** Human name with profile of the first video track ("Apple ProRes 422 HQ"). */
  videoCodecName?: string;
  videoBitDepth?: number;
  audioCodec?: string;
  audioChannels?: number;
  audioSampleRate?: number;
  audioBitDepth?: number;
  bitRate?: number;
  startTimecode?: string;
  /** Every video and audio track, in file order, when the container has tracks. */
  tracks?: TrackInfo[];
  exif?: {
    make?: string;
    model?: string;
    /** Camera wall-clock time "YYYY-MM-DDTHH:MM:SS", with "±HH:MM" when OffsetTimeOriginal exists. */
    dateTimeOriginal?: string;
    lensMake?: string;
    lensModel?: string;
    iso?: number;
    /** f-number, e.g. 2.8 */
    fNumber?: number;
    /** Exposure time in seconds, e.g. 0.004 (shown as 1/250 s). */
    exposureTime?: number;
    /** Focal length in millimetres. */
    focalLength?: number;
    focalLength35mm?: number;
    /** EXIF Orientation 1–8; 5–8 mean the displayed image is rotated by 90°. */
    orientation?: number;
    gps?: { latitude: number; longitude: number; altitude?: number };
  };
};

/** Stable problem codes (app/schemas/assets.ts, shared with the UI); `detail` is English for support. */
export type { ProblemCode } from "~/schemas/assets";
export { PROBLEM_CODES } from "~/schemas/assets";
export type Problem = { code: ProblemCode; detail?: string };

export type Extraction = { technical: Technical; problem: Problem | null };
