import { and, eq } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission, type ProjectAccess } from "../access/permissions.server";
import { assetTags, assets, folders } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { loadFields, mergeMetadata, parseStoredMetadata, searchTextOf } from "../metadata/values.server";
import type { Capability } from "~/policy/capabilities";
import type { z } from "zod";
import type { UpdateAssetBodySchema } from "~/schemas/assets";
import { DisplayNameSchema, TagListSchema } from "~/schemas/names";
import { faultPoint } from "../testing/faults.server";
import { chunked, inJsonArray, rowsPerInsert } from "../db/chunks.server";
import { ASSETS_PER_DELETE, deletePendingObjects, pendingDeletionsStatement } from "./object-deletions.server";
import { publishUsage, usageDeltaStatements } from "./usage.server";
import { assetView, nameKeyOf, type AssetRow } from "./view.server";
import { deleteJobsStatement } from "../media/jobs.server";
import { deleteMarkersStatement } from "../review/markers.server";
import { deleteShareLinksOfAssetsStatements } from "../sharing/asset-links.server";
import { deleteCollectionLinksStatement } from "../review/collections.server";

type Ctx = AuditContext;
export type AssetAccess = ProjectAccess & { asset: AssetRow };

/**
 * The asset guard: 404 when the asset is not in the caller's tenant or its
 * project is invisible to the caller (same answer, so ids reveal nothing),
 * 403 when the caller sees it but lacks `capability`.
 */
export async function requireAssetPermission(ctx: Ctx, assetId: string, capability: Capability): Promise<AssetAccess> {
  const data = await tenantData(ctx);
  const asset = await data.db
    .select()
    .from(assets)
    .where(and(eq(assets.tenantId, data.tenantId), eq(assets.id, assetId)))
    .get();
  if (!asset) fail("not_found", "No such asset.");
  const access = await requireProjectPermission(ctx, asset.projectId, capability, {
    target: { type: "asset", id: assetId },
    notFound: "No such asset.",
  });
  return { ...access, asset };
}

/** A folder of `projectId` in the caller's tenant, or 404. */
export async function requireFolderInProject(data: TenantData, projectId: string, folderId: string) {
  const folder = await data.db
    .select()
    .from(folders)
    .where(and(eq(folders.tenantId, data.tenantId), eq(folders.projectId, projectId), eq(folders.id, folderId)))
    .get();
  if (!folder) fail("not_found", "No such folder in this project.");
  return folder;
}

export async function getAsset(ctx: Ctx, assetId: string) {
  const { asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  return assetView(asset);
}

export function parseTags(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

/** Tags are a set; stored sorted so that the display and comparisons are stable. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Statements replacing an asset's tag rows (the facet table). */
export function tagStatements(data: TenantData, asset: Pick<AssetRow, "id" | "projectId">, tags: readonly string[]) {
  const remove = data.db.delete(assetTags).where(and(eq(assetTags.tenantId, data.tenantId), eq(assetTags.assetId, asset.id)));
  // Up to 100 tags at 4 parameters each: several inserts (ADR 0016).
  const inserts = chunked(tags, rowsPerInsert(assetTags)).map((part) =>
    data.db.insert(assetTags).values(part.map((tag) => ({ tenantId: data.tenantId, projectId: asset.projectId, assetId: asset.id, tag }))),
  );
  return [remove, ...inserts] as const;
}

type AssetPatch = z.output<typeof UpdateAssetBodySchema>;

/** PATCH /assets/{id}: rename, move, metadata (merged, typed), tags (replaced), colour label. */
export async function updateAsset(ctx: Ctx, assetId: string, patch: AssetPatch) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.edit_metadata");
  // What is stored is re-checked with the fields' own schemas, whoever the caller is.
  if (patch.name !== undefined) patch = { ...patch, name: checkField(DisplayNameSchema, patch.name, "name") };
  if (patch.tags !== undefined) patch = { ...patch, tags: checkField(TagListSchema, patch.tags, "tags") };
  if (patch.folderId) await requireFolderInProject(data, asset.projectId, patch.folderId);
  const fields = await loadFields(data);
  const metadata = patch.metadata ? mergeMetadata(fields, parseStoredMetadata(asset.metadata), patch.metadata) : parseStoredMetadata(asset.metadata);
  const tags = patch.tags ? normaliseTags(patch.tags) : parseTags(asset.tags);
  const name = patch.name ?? asset.name;
  const changes = {
    name,
    nameKey: nameKeyOf(name),
    folderId: patch.folderId === undefined ? asset.folderId : patch.folderId,
    metadata: JSON.stringify(metadata),
    tags: JSON.stringify(tags),
    colorLabel: patch.colorLabel === undefined ? asset.colorLabel : patch.colorLabel,
    searchText: searchTextOf(name, tags, metadata, fields),
    updatedAt: new Date().toISOString(),
  };
  const changed = Object.keys(patch).filter((k) => patch[k as keyof AssetPatch] !== undefined);
  const [rows] = await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(assets)
        .set(changes)
        .where(and(eq(assets.tenantId, data.tenantId), eq(assets.id, assetId)))
        .returning(),
      ...(patch.tags ? tagStatements(data, asset, tags) : []),
    ],
    {
      action: "asset.updated",
      target: { type: "asset", id: assetId, name },
      details: {
        changed,
        ...(patch.name !== undefined && patch.name !== asset.name ? { from: asset.name } : {}),
        ...(patch.metadata ? { metadataKeys: Object.keys(patch.metadata) } : {}),
        ...(patch.tags ? { tags } : {}),
        ...(patch.colorLabel !== undefined ? { colorLabel: patch.colorLabel } : {}),
        ...(patch.folderId !== undefined ? { folderId: patch.folderId } : {}),
      },
    },
  );
  return assetView(rows[0]!);
}

/**
 * DELETE /assets/{id}: the rows, tags, search entry (trigger), usage and
 * audit event in one batch, then the objects (original and everything
 * derived). The batch also records the objects as pending deletion, so if
 * the second step fails the scheduled job removes them: a listed asset never
 * loses its file (ADR 0016).
 */
export async function deleteAsset(ctx: Ctx, assetId: string) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.delete");
  await deleteAssetsStored(ctx, data, [asset]);
}

/** Deletes assets a step at a time (one D1 batch, then one R2 call per step); see deleteAsset. */
export async function deleteAssetsStored(ctx: Ctx, data: TenantData, rows: readonly AssetRow[]) {
  for (const step of chunked(rows, ASSETS_PER_DELETE)) {
    const byProject = new Map<string, { bytes: number; count: number }>();
    for (const a of step) {
      const p = byProject.get(a.projectId) ?? { bytes: 0, count: 0 };
      // The thumbnail's and the derived objects' bytes were counted when they were stored (ADR 0019, ADR 0030).
      byProject.set(a.projectId, { bytes: p.bytes + a.size + (a.thumbnailSize ?? 0) + a.derivedBytes, count: p.count + 1 });
    }
    const ids = step.map((a) => a.id);
    await commitAudited(
      ctx,
      data,
      [
        data.db.delete(assetTags).where(and(eq(assetTags.tenantId, data.tenantId), inJsonArray(assetTags.assetId, ids))),
        data.db.delete(assets).where(and(eq(assets.tenantId, data.tenantId), inJsonArray(assets.id, ids))),
        deleteJobsStatement(data, ids),
        deleteMarkersStatement(data, ids),
        deleteCollectionLinksStatement(data, ids),
        ...deleteShareLinksOfAssetsStatements(data, ids),
        pendingDeletionsStatement(data.db, data.tenantId, ids),
        ...[...byProject].flatMap(([projectId, d]) => usageDeltaStatements(data, projectId, -d.bytes, -d.count)),
      ],
      step.map((a) => ({
        action: "asset.deleted",
        target: { type: "asset", id: a.id, name: a.name },
        details: { projectId: a.projectId, size: a.size, sha256: a.sha256 },
      })),
    );
    await publishUsage(ctx, data);
    await faultPoint(ctx.env, "asset-delete:between-stores");
    try {
      await deletePendingObjects(ctx.env, data.db, data.tenantId, ids);
    } catch (error) {
      // The rows are gone and the objects recorded: the scheduled job finishes this.
      ctx.logger.warn("asset_objects_delete_deferred", { tenantId: data.tenantId, count: ids.length, error: String(error) });
    }
  }
}
