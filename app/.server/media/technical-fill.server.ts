import type { z } from "zod";
import type { assets } from "../db/tenant-schema";
import type { TranscoderTechnicalSchema } from "~/schemas/media";

/**
 * What ffprobe adds to an asset's technical metadata (ADR 0030). The in-Worker parser stays the
 * first word (it answers at once after upload); ffprobe fills only what it left out, such as the
 * codecs of an MXF or an unusual container, and gives a kind to bytes the sniffer did not know.
 */

type Found = z.output<typeof TranscoderTechnicalSchema>;
type AssetRow = typeof assets.$inferSelect;

export function parseStoredTechnical(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The asset columns to set: the merged technical JSON, the filter columns it fills, and the kind. */
export function technicalFill(asset: Pick<AssetRow, "kind" | "durationSeconds" | "width" | "height">, stored: Record<string, unknown>, found: Found) {
  const rate = found.frameRate ? Math.round((found.frameRate.num / found.frameRate.den) * 1000) / 1000 : null;
  const candidates: Record<string, unknown> = {
    container: found.container,
    durationSeconds: found.durationSeconds,
    width: found.width,
    height: found.height,
    frameRate: rate,
    videoCodec: found.videoCodec,
    audioCodec: found.audioCodec,
    audioChannels: found.audioChannels,
    audioSampleRate: found.audioSampleRate,
    bitRate: found.bitRate,
    startTimecode: found.startTimecode,
  };
  const merged = { ...stored };
  for (const [key, value] of Object.entries(candidates)) {
    if (merged[key] === undefined && value !== null && value !== undefined) merged[key] = value;
  }
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    technical: JSON.stringify(merged),
    durationSeconds: asset.durationSeconds ?? num(merged.durationSeconds),
    width: asset.width ?? num(merged.width),
    height: asset.height ?? num(merged.height),
    // Bytes the sniffer called "other" (an MXF, say) that ffmpeg decoded are media after all.
    kind: asset.kind === "other" && found.kind ? found.kind : asset.kind,
  };
}
