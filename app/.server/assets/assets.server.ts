import { and, eq, inArray } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission, type ProjectAccess } from "../access/permissions.server";
import { assetTags, assets, folders } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { loadFields, mergeMetadata, parseStoredMetadata, searchTextOf } from "../metadata/values.server";
import { tenantStorageFor } from "../storage/keys.server";
import type { Capability } from "~/policy/capabilities";
import type { z } from "zod";
import type { UpdateAssetBodySchema } from "~/schemas/assets";
import { DisplayNameSchema, TagListSchema } from "~/schemas/names";
import { assetKeys } from "./keys.server";
import { publishUsage, usageDeltaStatements } from "./usage.server";
import { assetView, nameKeyOf, type AssetRow } from "./view.server";

type Ctx = AuditContext;
export type AssetAccess = ProjectAccess & { asset: AssetRow };

/**
 * The asset guard: 404 when the asset is not in the caller's tenant or its
 * project is invisible to the caller (same answer, so ids reveal nothing),
 * 403 when the caller sees it but lacks `capability`.
 */
export async function requireAssetPermission(ctx: Ctx, assetId: string, capability: Capability): Promise<AssetAccess> {
  const data = await tenantData(ctx);
  const asset = await data.db.select().from(assets).where(and(eq(assets.tenantId, data.tenantId), eq(assets.id, assetId))).get();
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
  if (tags.length === 0) return [remove] as const;
  return [
    remove,
    data.db.insert(assetTags).values(tags.map((tag) => ({ tenantId: data.tenantId, projectId: asset.projectId, assetId: asset.id, tag }))),
  ] as const;
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
      data.db.update(assets).set(changes).where(and(eq(assets.tenantId, data.tenantId), eq(assets.id, assetId))).returning(),
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
 * DELETE /assets/{id}: the objects first (original and everything derived),
 * then the rows, tags, search entry (trigger) and usage in one batch with
 * the audit event. If the batch fails the asset is still listed and a retry
 * deletes it: R2 deletes are idempotent, so the two steps converge.
 */
export async function deleteAsset(ctx: Ctx, assetId: string) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.delete");
  await deleteAssetsStored(ctx, data, [asset]);
}

export async function deleteAssetsStored(ctx: Ctx, data: TenantData, rows: readonly AssetRow[]) {
  if (rows.length === 0) return;
  const storage = tenantStorageFor(ctx.env.ASSETS, data.tenantId);
  await storage.delete(rows.flatMap((a) => assetKeys.all(a.id)));
  const byProject = new Map<string, { bytes: number; count: number }>();
  for (const a of rows) {
    const p = byProject.get(a.projectId) ?? { bytes: 0, count: 0 };
    byProject.set(a.projectId, { bytes: p.bytes + a.size, count: p.count + 1 });
  }
  const ids = rows.map((a) => a.id);
  await commitAudited(
    ctx,
    data,
    [
      data.db.delete(assetTags).where(and(eq(assetTags.tenantId, data.tenantId), inArray(assetTags.assetId, ids))),
      data.db.delete(assets).where(and(eq(assets.tenantId, data.tenantId), inArray(assets.id, ids))),
      ...[...byProject].flatMap(([projectId, d]) => usageDeltaStatements(data, projectId, -d.bytes, -d.count)),
    ],
    rows.map((a) => ({
      action: "asset.deleted",
      target: { type: "asset", id: a.id, name: a.name },
      details: { projectId: a.projectId, size: a.size, sha256: a.sha256 },
    })),
  );
  await publishUsage(ctx, data);
}
