import { assets } from "../db/tenant-schema";
import { parseStoredMetadata } from "../metadata/values.server";
import type { z } from "zod";
import { decodeProblem, type AssetSchema, type ProblemCode, type TechnicalSchema } from "~/schemas/assets";

export type AssetRow = typeof assets.$inferSelect;
export type Asset = z.infer<typeof AssetSchema>;

/**
 * What a listing selects: the columns assetView reads and the sort keys of
 * a page's cursor. Not the search text (the longest column, which nothing
 * shown needs), the row id or the processing bookkeeping.
 */
export const assetListColumns = {
  id: assets.id,
  projectId: assets.projectId,
  folderId: assets.folderId,
  name: assets.name,
  nameKey: assets.nameKey,
  size: assets.size,
  contentType: assets.contentType,
  kind: assets.kind,
  status: assets.status,
  problem: assets.problem,
  sha256: assets.sha256,
  createdAt: assets.createdAt,
  createdBy: assets.createdBy,
  updatedAt: assets.updatedAt,
  tags: assets.tags,
  colorLabel: assets.colorLabel,
  metadata: assets.metadata,
  technical: assets.technical,
  thumbnailSize: assets.thumbnailSize,
};
export type AssetListRow = Pick<AssetRow, keyof typeof assetListColumns>;

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** `problem` stays an English sentence for API clients; `problemCode` is what the UI translates. */
function problemFields(stored: string | null): { problem: string | null; problemCode: ProblemCode | null } {
  const { code, text } = decodeProblem(stored);
  return { problem: text ?? code, problemCode: code };
}

/** The contract's Asset object. */
export function assetView(row: AssetListRow): Asset {
  return {
    id: row.id,
    projectId: row.projectId,
    folderId: row.folderId,
    name: row.name,
    size: row.size,
    contentType: row.contentType,
    kind: row.kind,
    status: row.status,
    ...problemFields(row.problem),
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
