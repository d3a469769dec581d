import type { assets } from "../db/tenant-schema";
import { parseStoredMetadata } from "../metadata/values.server";
import type { z } from "zod";
import type { AssetSchema, TechnicalSchema } from "~/schemas/assets";

export type AssetRow = typeof assets.$inferSelect;
export type Asset = z.infer<typeof AssetSchema>;

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** The contract's Asset object. */
export function assetView(row: AssetRow): Asset {
  return {
    id: row.id,
    projectId: row.projectId,
    folderId: row.folderId,
    name: row.name,
    size: row.size,
    contentType: row.contentType,
    kind: row.kind,
    status: row.status,
    problem: row.problem,
    sha256: row.sha256,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    tags: parseJson<string[]>(row.tags, []),
    colorLabel: row.colorLabel,
    metadata: parseStoredMetadata(row.metadata),
    technical: parseJson<z.infer<typeof TechnicalSchema>>(row.technical, {}),
    hasThumbnail: row.thumbnailSize !== null,
  };
}

/** Sort key of `sort=name`: compatibility-normalised and lower-cased (Ｆｉｌｅ and file sort together). */
export function nameKeyOf(name: string): string {
  return name.normalize("NFKC").toLowerCase();
}

/** Kind from a MIME type, used until processing sniffs the bytes. */
export function kindOfContentType(contentType: string | null | undefined): Asset["kind"] {
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("image/")) return "image";
  return "other";
}
