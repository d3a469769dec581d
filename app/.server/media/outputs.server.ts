import { assetKeys } from "../assets/keys.server";
import { MAX_THUMBNAIL_BYTES } from "../assets/thumbnail-limits";
import { OUTPUT_NAMES, type OutputName } from "~/schemas/media";

/**
 * What the transcoder may store for an asset (ADR 0030): each output's key, the types it may
 * have and its size limit. An output upload of another name, type or size is refused.
 */
export { OUTPUT_NAMES, type OutputName };

const MiB = 1024 * 1024;

export const OUTPUTS: Record<OutputName, { key: (assetId: string) => string; types: readonly string[]; maxBytes: number }> = {
  // An hour of 1080p at the proxy's bit rate is a few GB; a day-long recording stays far below this.
  proxy: { key: assetKeys.proxy, types: ["video/mp4", "audio/mp4"], maxBytes: 64 * 1024 * MiB },
  poster: { key: (id) => assetKeys.derived(id, "poster"), types: ["image/jpeg"], maxBytes: 16 * MiB },
  // The server's still replaces the browser's placeholder under the same key (ADR 0011).
  thumbnail: { key: assetKeys.thumbnail, types: ["image/jpeg"], maxBytes: MAX_THUMBNAIL_BYTES },
  filmstrip: { key: (id) => assetKeys.derived(id, "filmstrip"), types: ["image/jpeg"], maxBytes: 16 * MiB },
  waveform: { key: (id) => assetKeys.derived(id, "waveform"), types: ["application/json"], maxBytes: 8 * MiB },
  preview: { key: (id) => assetKeys.derived(id, "preview"), types: ["image/jpeg"], maxBytes: 48 * MiB },
};
