import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import { assets, mediaJobs } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
import { TranscoderTechnicalSchema } from "~/schemas/media";

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

/**
 * Fills the asset from its ready job's ffprobe reading, once processing has written its own (the
 * transcoder starts beside processing). Called by both when they finish, so whichever ends last
 * fills it; idempotent, since only missing values are filled.
 */
export async function fillTechnical(data: TenantData, assetId: string): Promise<void> {
  const mine = and(eq(assets.tenantId, data.tenantId), eq(assets.id, assetId));
  const [job, asset] = await Promise.all([
    data.db
      .select({ technical: mediaJobs.technical })
      .from(mediaJobs)
      .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.assetId, assetId), eq(mediaJobs.status, "ready")))
      .get(),
    data.db.select().from(assets).where(mine).get(),
  ]);
  if (!job?.technical || !asset || asset.status === "processing") return;
  let found: Found;
  try {
    found = TranscoderTechnicalSchema.parse(JSON.parse(job.technical));
  } catch {
    return;
  }
  // Conditional on the technical JSON read here, so a concurrent fill or edit is not overwritten.
  await data.db
    .update(assets)
    .set(technicalFill(asset, parseStoredTechnical(asset.technical), found))
    .where(and(mine, ne(assets.status, "processing"), eq(assets.technical, asset.technical)))
    .run();
}
