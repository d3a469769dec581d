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

export type Technical = {
  container?: string;
  durationSeconds?: number;
  width?: number;
  height?: number;
  frameRate?: number;
  videoCodec?: string;
  audioCodec?: string;
  audioChannels?: number;
  audioSampleRate?: number;
  bitRate?: number;
  startTimecode?: string;
  exif?: {
    make?: string;
    model?: string;
    dateTimeOriginal?: string;
    gps?: { latitude: number; longitude: number; altitude?: number };
  };
};

export type Extraction = { technical: Technical; problem: string | null };
