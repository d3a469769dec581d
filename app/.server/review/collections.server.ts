import { and, count, desc, eq, lt, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { assets, collectionAssets, collections } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { inJsonArray } from "../db/chunks.server";
import { isUniqueViolation } from "../db/errors.server";
import { changesStatement, countIn, rawStatement } from "../db/raw-statement.server";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { newId } from "../ids/ids";
import { assetListColumns, assetView } from "../assets/view.server";
import type { Capability } from "~/policy/capabilities";
import { AddCollectionAssetsBodySchema, COLLECTION_LIMITS, CreateCollectionBodySchema, UpdateCollectionBodySchema, type Collection } from "~/schemas/review";

/**
 * Collections (issue #14): named sets of links to a project's assets; an asset can be in many,
 * and nothing is copied. Reading needs `asset.view` on the project; changing `collection.manage`.
 * A share of a collection is live: it sees what is in the collection when the guest looks.
 */

type Ctx = AuditContext;
type Row = typeof collections.$inferSelect;

const view = (r: Row, assetCount: number): Collection => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  assetCount,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** How many assets a collection holds (also a live share's count, sharing/shares.server.ts). */
export function collectionSizeStatement(data: Pick<TenantData, "db" | "tenantId">, collectionId: string) {
  return data.db
    .select({ n: count() })
    .from(collectionAssets)
    .where(and(eq(collectionAssets.tenantId, data.tenantId), eq(collectionAssets.collectionId, collectionId)));
}

/** The collection (of the caller's tenant) under its project's permission check; others' give 404. */
export async function requireCollection(ctx: Ctx, collectionId: string, capability: Capability) {
  const data = await tenantData(ctx);
  const row = await data.db
    .select()
    .from(collections)
    .where(and(eq(collections.tenantId, data.tenantId), eq(collections.id, collectionId)))
    .get();
  if (!row) fail("not_found", "No such collection.");
  const access = await requireProjectPermission(ctx, row.projectId, capability, {
    target: { type: "collection", id: collectionId },
    notFound: "No such collection.",
  });
  return { ...access, data, row };
}

/** GET /projects/{id}/collections: by name, with how many assets each holds. */
export async function listCollections(ctx: Ctx, projectId: string): Promise<Collection[]> {
  const { data } = await requireProjectPermission(ctx, projectId, "asset.view");
  const rows = await data.db
    .select({
      row: collections,
      n: sql<number>`(SELECT COUNT(*) FROM ${collectionAssets} WHERE ${collectionAssets.tenantId} = ${collections.tenantId} AND ${collectionAssets.collectionId} = ${collections.id})`,
    })
    .from(collections)
    .where(and(eq(collections.tenantId, data.tenantId), eq(collections.projectId, projectId)))
    .orderBy(collections.name)
    .all();
  return rows.map((r) => view(r.row, r.n));
}

export async function getCollection(ctx: Ctx, collectionId: string): Promise<Collection> {
  const { data, row } = await requireCollection(ctx, collectionId, "asset.view");
  return view(row, (await collectionSizeStatement(data, row.id).get())?.n ?? 0);
}

function nameTaken(name: string): never {
  fail("conflict", `There is already a collection named "${name}" in this project.`);
}

/** POST /collections (collection.manage). */
export async function createCollection(ctx: Ctx, body: z.output<typeof CreateCollectionBodySchema>): Promise<Collection> {
  body = checkField(CreateCollectionBodySchema, body, "");
  const { data, principal } = await requireProjectPermission(ctx, body.projectId, "collection.manage");
  const id = newId("collection");
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .insert(collections)
          .values({ id, tenantId: data.tenantId, projectId: body.projectId, name: body.name, createdBy: principal.userId })
          .returning(),
      ],
      { action: "collection.created", target: { type: "collection", id, name: body.name }, details: { projectId: body.projectId } },
    );
    return view(rows[0]!, 0);
  } catch (error) {
    if (isUniqueViolation(error)) nameTaken(body.name);
    throw error;
  }
}

/** PATCH /collections/{id} (collection.manage): rename. */
export async function renameCollection(ctx: Ctx, collectionId: string, body: z.output<typeof UpdateCollectionBodySchema>): Promise<Collection> {
  const { data, row } = await requireCollection(ctx, collectionId, "collection.manage");
  body = checkField(UpdateCollectionBodySchema, body, "");
  try {
    await commitAudited(
      ctx,
      data,
      [
        data.db
          .update(collections)
          .set({ name: body.name, updatedAt: new Date().toISOString() })
          .where(and(eq(collections.tenantId, data.tenantId), eq(collections.id, row.id))),
      ],
      { action: "collection.updated", target: { type: "collection", id: row.id, name: body.name }, details: { projectId: row.projectId, from: row.name } },
    );
  } catch (error) {
    if (isUniqueViolation(error)) nameTaken(body.name);
    throw error;
  }
  return getCollection(ctx, row.id);
}

/** DELETE /collections/{id} (collection.manage): the set goes, its assets stay. */
export async function deleteCollection(ctx: Ctx, collectionId: string) {
  const { data, row } = await requireCollection(ctx, collectionId, "collection.manage");
  await commitAudited(
    ctx,
    data,
    [
      data.db.delete(collectionAssets).where(and(eq(collectionAssets.tenantId, data.tenantId), eq(collectionAssets.collectionId, row.id))),
      data.db.delete(collections).where(and(eq(collections.tenantId, data.tenantId), eq(collections.id, row.id))),
    ],
    { action: "collection.deleted", target: { type: "collection", id: row.id, name: row.name }, details: { projectId: row.projectId } },
  );
}

/**
 * Adds the assets of the collection's project among `assetIds` (others are skipped), in one
 * statement that also holds the size limit, so a burst cannot pass it. 409 when the limit kept
 * new assets out; otherwise how many were new.
 */
async function addAssets(ctx: Ctx, data: TenantData, row: Row, userId: string, assetIds: readonly string[]): Promise<number> {
  const ids = JSON.stringify([...new Set(assetIds)]);
  const candidates = sql`SELECT a.id FROM ${assets} a WHERE a.tenant_id = ${data.tenantId} AND a.project_id = ${row.projectId} AND a.id IN (SELECT value FROM json_each(${ids}))
    AND NOT EXISTS (SELECT 1 FROM ${collectionAssets} c WHERE c.tenant_id = ${data.tenantId} AND c.collection_id = ${row.id} AND c.asset_id = a.id)`;
  const room = sql`(SELECT COUNT(*) FROM ${collectionAssets} WHERE tenant_id = ${data.tenantId} AND collection_id = ${row.id}) + (SELECT COUNT(*) FROM (${candidates})) <= ${COLLECTION_LIMITS.assets}`;
  const [, pending, , added] = await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(collections)
        .set({ updatedAt: new Date().toISOString() })
        .where(and(eq(collections.tenantId, data.tenantId), eq(collections.id, row.id))),
      rawStatement(data.db, sql`SELECT COUNT(*) AS n FROM (${candidates})`),
      rawStatement(
        data.db,
        sql`INSERT INTO ${collectionAssets} (tenant_id, collection_id, asset_id, added_by) SELECT ${data.tenantId}, ${row.id}, id, ${userId} FROM (${candidates}) WHERE ${room}`,
      ),
      changesStatement(data.db),
    ],
    {
      action: "collection.assets_added",
      target: { type: "collection", id: row.id, name: row.name },
      details: { projectId: row.projectId, requested: assetIds.length },
    },
  );
  if (countIn(pending) > 0 && countIn(added) === 0) fail("conflict", `A collection holds at most ${COLLECTION_LIMITS.assets} assets.`);
  return countIn(added);
}

/** PUT /collections/{id}/assets/{assetId} (collection.manage): idempotent; an asset of another project is 404. */
export async function putCollectionAsset(ctx: Ctx, collectionId: string, assetId: string): Promise<Collection> {
  const { data, row, principal } = await requireCollection(ctx, collectionId, "collection.manage");
  const asset = await data.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.tenantId, data.tenantId), eq(assets.projectId, row.projectId), eq(assets.id, assetId)))
    .get();
  if (!asset) fail("not_found", "No such asset in this collection's project.");
  await addAssets(ctx, data, row, principal.userId, [assetId]);
  return getCollection(ctx, row.id);
}

/** POST /collections/{id}/assets (collection.manage): a selection at once. */
export async function addCollectionAssets(ctx: Ctx, collectionId: string, body: z.output<typeof AddCollectionAssetsBodySchema>) {
  const { data, row, principal } = await requireCollection(ctx, collectionId, "collection.manage");
  body = checkField(AddCollectionAssetsBodySchema, body, "");
  const added = await addAssets(ctx, data, row, principal.userId, body.assetIds);
  return { added, collection: await getCollection(ctx, row.id) };
}

/** DELETE /collections/{id}/assets/{assetId} (collection.manage): the link goes, the asset stays. */
export async function removeCollectionAsset(ctx: Ctx, collectionId: string, assetId: string) {
  const { data, row } = await requireCollection(ctx, collectionId, "collection.manage");
  const link = and(eq(collectionAssets.tenantId, data.tenantId), eq(collectionAssets.collectionId, row.id), eq(collectionAssets.assetId, assetId));
  const present = await data.db.select({ id: collectionAssets.assetId }).from(collectionAssets).where(link).get();
  if (!present) fail("not_found", "That asset is not in this collection.");
  await commitAudited(ctx, data, [data.db.delete(collectionAssets).where(link)], {
    action: "collection.asset_removed",
    target: { type: "collection", id: row.id, name: row.name },
    details: { projectId: row.projectId, assetId },
  });
}

/** GET /collections/{id}/assets: newest additions first, paged. */
export async function listCollectionAssets(ctx: Ctx, collectionId: string, page: { limit: number; cursor?: string | undefined }) {
  const { data, row } = await requireCollection(ctx, collectionId, "asset.view");
  const after = page.cursor ? decodeCursor(page.cursor, ["at", "id"]) : null;
  const rows = await data.db
    .select({ ...assetListColumns, addedAt: collectionAssets.addedAt })
    .from(collectionAssets)
    .innerJoin(assets, and(eq(assets.tenantId, collectionAssets.tenantId), eq(assets.id, collectionAssets.assetId)))
    .where(
      and(
        eq(collectionAssets.tenantId, data.tenantId),
        eq(collectionAssets.collectionId, row.id),
        after ? or(lt(collectionAssets.addedAt, after.at), and(eq(collectionAssets.addedAt, after.at), lt(collectionAssets.assetId, after.id))) : undefined,
      ),
    )
    .orderBy(desc(collectionAssets.addedAt), desc(collectionAssets.assetId))
    .limit(page.limit + 1)
    .all();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => assetView(r)),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ at: last.addedAt, id: last.id }) : null,
  };
}

/** The statement removing deleted assets from every collection (in the assets' delete batch). */
export function deleteCollectionLinksStatement(data: Pick<TenantData, "db" | "tenantId">, assetIds: readonly string[]) {
  return data.db.delete(collectionAssets).where(and(eq(collectionAssets.tenantId, data.tenantId), inJsonArray(collectionAssets.assetId, assetIds)));
}
