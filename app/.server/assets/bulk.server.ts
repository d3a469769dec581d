import { rawStatement } from "../db/raw-statement.server";
import { chunked, chunkedByJsonBytes } from "../db/chunks.server";
import { D1_LIMITS } from "../db/d1-limits.server";
import { sql } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { assetTags, assets } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { loadFields, mergeMetadata, parseStoredMetadata, searchTextOf } from "../metadata/values.server";
import type { z } from "zod";
import type { BulkAssetsBodySchema } from "~/schemas/assets";
import { TagListSchema } from "~/schemas/names";
import { deleteAssetsStored, normaliseTags, parseTags, requireFolderInProject } from "./assets.server";
import type { AssetRow } from "./view.server";

/**
 * Bulk edits of a selection (up to 10,000 assets). The new values are
 * computed per asset here, then written a chunk at a time with one
 * statement per table that reads its rows from a JSON parameter
 * (json_each): D1 binds at most 100 parameters, and a Worker invocation
 * may run at most 1,000 queries, so per-row statements would not scale.
 */

type Ctx = AuditContext;
const CHUNK = 500;

/** The selection's rows, read with one query; 404 if any id is not in the project. */
export async function selectionRows(data: TenantData, projectId: string, ids: readonly string[]): Promise<AssetRow[]> {
  const unique = [...new Set(ids)];
  const rows = await data.db
    .select()
    .from(assets)
    .where(
      sql`${assets.tenantId} = ${data.tenantId} AND ${assets.projectId} = ${projectId} AND ${assets.id} IN (SELECT value FROM json_each(${JSON.stringify(unique)}))`,
    )
    .all();
  if (rows.length !== unique.length) fail("not_found", "Some of these assets do not exist in this project.");
  return rows;
}

/**
 * Statements replacing the tag rows (the facet table) of the assets in `json`, a JSON array of
 * `{id, t: [tags]}` (bound as one parameter): for writes that take many assets at once.
 */
export function tagRowsFromJson(data: TenantData, projectId: string, json: string) {
  return [
    rawStatement(
      data.db,
      sql`DELETE FROM ${assetTags} WHERE tenant_id = ${data.tenantId} AND asset_id IN (SELECT json_extract(value, '$.id') FROM json_each(${json}))`,
    ),
    rawStatement(
      data.db,
      sql`
      INSERT INTO ${assetTags} (tenant_id, project_id, asset_id, tag)
      SELECT ${data.tenantId}, ${projectId}, json_extract(e.value, '$.id'), t.value
      FROM json_each(${json}) AS e, json_each(json_extract(e.value, '$.t')) AS t`,
    ),
  ] as const;
}

export async function bulkUpdateAssets(ctx: Ctx, projectId: string, body: z.output<typeof BulkAssetsBodySchema>) {
  const { data } = await requireProjectPermission(ctx, projectId, "asset.edit_metadata");
  if (body.addTags) body = { ...body, addTags: checkField(TagListSchema, body.addTags, "addTags") };
  const changes = { metadata: body.metadata, addTags: body.addTags, removeTags: body.removeTags, colorLabel: body.colorLabel, folderId: body.folderId };
  if (Object.values(changes).every((v) => v === undefined)) fail("bad_request", "Say what to change: metadata, addTags, removeTags, colorLabel or folderId.");
  if (body.folderId) await requireFolderInProject(data, projectId, body.folderId);
  const fields = await loadFields(data);
  // Values are checked once against their fields, before anything is written.
  if (body.metadata) mergeMetadata(fields, {}, body.metadata);
  const rows = await selectionRows(data, projectId, body.assetIds);
  const tagsChange = body.addTags !== undefined || body.removeTags !== undefined;
  const remove = new Set(body.removeTags ?? []);
  const now = new Date().toISOString();

  for (const rowsPart of chunked(rows, CHUNK)) {
    const updates = rowsPart.map((row) => {
      const metadata = body.metadata ? mergeMetadata(fields, parseStoredMetadata(row.metadata), body.metadata) : parseStoredMetadata(row.metadata);
      const tags = tagsChange ? normaliseTags([...parseTags(row.tags).filter((t) => !remove.has(t)), ...(body.addTags ?? [])]) : parseTags(row.tags);
      return { id: row.id, m: JSON.stringify(metadata), t: tags, s: searchTextOf(row.name, tags, metadata, fields) };
    });
    // Metadata of up to 10,000 characters per field: 500 rows can pass D1's 2 MB per value (ADR 0016).
    for (const part of chunkedByJsonBytes(updates, D1_LIMITS.maxValueBytes)) {
      const json = JSON.stringify(part);
      const setColor = body.colorLabel !== undefined ? sql`, color_label = ${body.colorLabel}` : sql``;
      const setFolder = body.folderId !== undefined ? sql`, folder_id = ${body.folderId}` : sql``;
      const statements = [
        rawStatement(
          data.db,
          sql`
          UPDATE ${assets} SET metadata = u.m, tags = u.t, search_text = u.s, updated_at = ${now} ${setColor} ${setFolder}
          FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.m') AS m, json_extract(value, '$.t') AS t, json_extract(value, '$.s') AS s FROM json_each(${json})) AS u
          WHERE ${assets.tenantId} = ${data.tenantId} AND ${assets.id} = u.id`,
        ),
        ...(tagsChange ? tagRowsFromJson(data, projectId, json) : []),
      ] as const;
      await commitAudited(ctx, data, statements as unknown as Parameters<typeof commitAudited>[2], {
        action: "asset.bulk_updated",
        target: { type: "project", id: projectId },
        details: {
          count: part.length,
          assetIds: part.map((u) => u.id),
          ...(body.metadata ? { metadataKeys: Object.keys(body.metadata) } : {}),
          ...(body.addTags ? { addTags: body.addTags } : {}),
          ...(body.removeTags ? { removeTags: body.removeTags } : {}),
          ...(body.colorLabel !== undefined ? { colorLabel: body.colorLabel } : {}),
          ...(body.folderId !== undefined ? { folderId: body.folderId } : {}),
        },
      });
    }
  }
  return { updated: rows.length };
}

/** Deletes a selection (≤ 1,000): rows, usage and one event per asset first, then the objects (deleteAssetsStored). */
export async function bulkDeleteAssets(ctx: Ctx, projectId: string, assetIds: readonly string[]) {
  const { data } = await requireProjectPermission(ctx, projectId, "asset.delete");
  const rows = await selectionRows(data, projectId, assetIds);
  await deleteAssetsStored(ctx, data, rows);
  return { deleted: rows.length };
}
