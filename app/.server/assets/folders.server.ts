import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission, type TenantScope } from "../access/permissions.server";
import { assets, folders } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { isUniqueViolation } from "../db/errors.server";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { newId } from "../ids/ids";
import { loadFields, mergeMetadata, parseStoredMetadata } from "../metadata/values.server";
import type { Capability } from "~/policy/capabilities";
import type { z } from "zod";
import type { CreateFolderBodySchema, UpdateFolderBodySchema } from "~/schemas/assets";
import { DisplayNameSchema } from "~/schemas/names";
import { requireFolderInProject } from "./assets.server";

/**
 * Folders: a tree per project. Sibling names are unique (the index folds the
 * root's NULL parent), moves may not create a cycle, and nesting is capped
 * so that breadcrumbs stay cheap.
 */

type Ctx = AuditContext;
type FolderRow = typeof folders.$inferSelect;

export const MAX_FOLDER_DEPTH = 32;

export function folderView(f: FolderRow) {
  return { id: f.id, projectId: f.projectId, name: f.name, parentId: f.parentId, metadata: parseStoredMetadata(f.metadata), createdAt: f.createdAt };
}

async function requireFolder(ctx: Ctx, folderId: string, capability: Capability) {
  const data = await tenantData(ctx);
  const folder = await data.db
    .select()
    .from(folders)
    .where(and(eq(folders.tenantId, data.tenantId), eq(folders.id, folderId)))
    .get();
  if (!folder) fail("not_found", "No such folder.");
  const access = await requireProjectPermission(ctx, folder.projectId, capability, { target: { type: "folder", id: folderId }, notFound: "No such folder." });
  return { ...access, folder };
}

/** The chain from the root down to `folderId` (inclusive). */
export async function breadcrumbs(data: TenantData, folderId: string): Promise<{ id: string; name: string }[]> {
  const rows = await data.db.all<{ id: string; name: string; depth: number }>(sql`
    WITH RECURSIVE chain(id, name, parent_id, depth) AS (
      SELECT id, name, parent_id, 0 FROM ${folders} WHERE tenant_id = ${data.tenantId} AND id = ${folderId}
      UNION ALL
      SELECT f.id, f.name, f.parent_id, chain.depth + 1 FROM ${folders} f JOIN chain ON f.id = chain.parent_id
      WHERE f.tenant_id = ${data.tenantId} AND chain.depth < ${MAX_FOLDER_DEPTH + 1}
    )
    SELECT id, name, depth FROM chain ORDER BY depth DESC`);
  return rows.map((r) => ({ id: r.id, name: r.name }));
}

export async function getFolder(ctx: Ctx, folderId: string) {
  const { data, folder } = await requireFolder(ctx, folderId, "asset.view");
  return { ...folderView(folder), breadcrumbs: await breadcrumbs(data, folderId) };
}

export async function listFolders(ctx: Ctx, projectId: string, q: { parentId?: string | undefined; limit: number; cursor?: string | undefined }) {
  const { data } = await requireProjectPermission(ctx, projectId, "asset.view");
  if (q.parentId) await requireFolderInProject(data, projectId, q.parentId);
  const after = q.cursor ? decodeCursor(q.cursor, ["name", "id"]) : null;
  const rows = await data.db
    .select()
    .from(folders)
    .where(
      and(
        eq(folders.tenantId, data.tenantId),
        eq(folders.projectId, projectId),
        q.parentId ? eq(folders.parentId, q.parentId) : isNull(folders.parentId),
        after ? or(gt(folders.name, after.name), and(eq(folders.name, after.name), gt(folders.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(folders.name), asc(folders.id))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(folderView), nextCursor: rows.length > q.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null };
}

function conflictOnDuplicate(error: unknown, name: string): never {
  if (isUniqueViolation(error)) fail("conflict", `A folder named "${name}" already exists here.`, { reason: "folder_exists" });
  throw error;
}

export async function createFolder(ctx: Ctx, projectId: string, body: z.output<typeof CreateFolderBodySchema>) {
  const { data, principal } = await requireProjectPermission(ctx, projectId, "asset.upload");
  body = { ...body, name: checkField(DisplayNameSchema, body.name, "name") };
  if (body.parentId) {
    await requireFolderInProject(data, projectId, body.parentId);
    if ((await breadcrumbs(data, body.parentId)).length >= MAX_FOLDER_DEPTH)
      fail("conflict", `Folders nest at most ${MAX_FOLDER_DEPTH} deep.`, { reason: "folder_depth" });
  }
  const metadata = body.metadata ? mergeMetadata(await loadFields(data), {}, body.metadata) : {};
  const id = newId("folder");
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .insert(folders)
          .values({
            id,
            tenantId: data.tenantId,
            projectId,
            parentId: body.parentId ?? null,
            name: body.name,
            metadata: JSON.stringify(metadata),
            createdBy: principal.userId,
          })
          .returning(),
      ],
      { action: "folder.created", target: { type: "folder", id, name: body.name }, details: { projectId, parentId: body.parentId ?? null } },
    );
    return folderView(rows[0]!);
  } catch (error) {
    return conflictOnDuplicate(error, body.name);
  }
}

/** Rename, move (no cycles, depth capped) and metadata, in one PATCH. */
export async function updateFolder(ctx: Ctx, folderId: string, body: z.output<typeof UpdateFolderBodySchema>) {
  const { data, folder } = await requireFolder(ctx, folderId, "asset.edit_metadata");
  if (body.name !== undefined) body = { ...body, name: checkField(DisplayNameSchema, body.name, "name") };
  if (body.parentId) {
    await requireFolderInProject(data, folder.projectId, body.parentId);
    const chain = await breadcrumbs(data, body.parentId);
    if (chain.some((c) => c.id === folderId)) fail("conflict", "A folder cannot be moved into itself or one of its subfolders.", { reason: "folder_cycle" });
    if (chain.length + (await subtreeDepth(data, folderId)) > MAX_FOLDER_DEPTH)
      fail("conflict", `Folders nest at most ${MAX_FOLDER_DEPTH} deep.`, { reason: "folder_depth" });
  }
  const metadata = body.metadata ? mergeMetadata(await loadFields(data), parseStoredMetadata(folder.metadata), body.metadata) : null;
  const name = body.name ?? folder.name;
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .update(folders)
          .set({
            name,
            parentId: body.parentId === undefined ? folder.parentId : body.parentId,
            ...(metadata ? { metadata: JSON.stringify(metadata) } : {}),
            updatedAt: new Date().toISOString(),
          })
          .where(and(eq(folders.tenantId, data.tenantId), eq(folders.id, folderId)))
          .returning(),
      ],
      {
        action: "folder.updated",
        target: { type: "folder", id: folderId, name },
        details: {
          ...(body.name !== undefined && body.name !== folder.name ? { from: folder.name } : {}),
          ...(body.parentId !== undefined ? { parentId: body.parentId } : {}),
          ...(body.metadata ? { metadataKeys: Object.keys(body.metadata) } : {}),
        },
      },
    );
    return folderView(rows[0]!);
  } catch (error) {
    return conflictOnDuplicate(error, name);
  }
}

async function subtreeDepth(data: TenantData, folderId: string): Promise<number> {
  const row = await data.db.get<{ depth: number }>(sql`
    WITH RECURSIVE sub(id, depth) AS (
      SELECT id, 1 FROM ${folders} WHERE tenant_id = ${data.tenantId} AND id = ${folderId}
      UNION ALL
      SELECT f.id, sub.depth + 1 FROM ${folders} f JOIN sub ON f.parent_id = sub.id
      WHERE f.tenant_id = ${data.tenantId} AND sub.depth <= ${MAX_FOLDER_DEPTH}
    )
    SELECT max(depth) AS depth FROM sub`);
  return row?.depth ?? 1;
}

/** Only empty folders are deleted: removing files is an explicit asset deletion. */
export async function deleteFolder(ctx: Ctx, folderId: string) {
  const { data, folder } = await requireFolder(ctx, folderId, "asset.delete");
  const [child, asset] = await Promise.all([
    data.db
      .select({ id: folders.id })
      .from(folders)
      .where(and(eq(folders.tenantId, data.tenantId), eq(folders.parentId, folderId)))
      .limit(1)
      .get(),
    data.db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.tenantId, data.tenantId), eq(assets.folderId, folderId)))
      .limit(1)
      .get(),
  ]);
  if (child || asset) fail("conflict", "Only empty folders can be deleted: move or delete what is inside first.", { reason: "folder_not_empty" });
  await commitAudited(ctx, data, [data.db.delete(folders).where(and(eq(folders.tenantId, data.tenantId), eq(folders.id, folderId)))], {
    action: "folder.deleted",
    target: { type: "folder", id: folderId, name: folder.name },
    details: { projectId: folder.projectId },
  });
}

/**
 * Every folder of a project with its path from the root, sorted by path:
 * the choices of a "move to folder" picker. At most `limit` folders (then
 * `truncated`); one query, the paths are joined in memory.
 */
export async function listFolderPaths(ctx: Ctx, projectId: string, limit = 2000) {
  const { data } = await requireProjectPermission(ctx, projectId, "asset.view");
  return folderPathsOf(await folderPathsStatement(data, projectId, limit).all(), limit);
}

/** The rows listFolderPaths joins into paths (for callers that have passed the project guard). */
export function folderPathsStatement(scope: TenantScope, projectId: string, limit = 2000) {
  return scope.db
    .select({ id: folders.id, name: folders.name, parentId: folders.parentId })
    .from(folders)
    .where(and(eq(folders.tenantId, scope.tenantId), eq(folders.projectId, projectId)))
    .limit(limit + 1);
}

/** Each folder's path from the root, sorted by path; `truncated` when there were more than `limit`. */
export function folderPathsOf(rows: { id: string; name: string; parentId: string | null }[], limit = 2000) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pathOf = (id: string): string[] => {
    const parts: string[] = [];
    for (let at: string | null = id, guard = 0; at && guard <= MAX_FOLDER_DEPTH; guard++) {
      const f = byId.get(at);
      if (!f) break;
      parts.unshift(f.name);
      at = f.parentId;
    }
    return parts;
  };
  const items = rows
    .slice(0, limit)
    .map((r) => ({ id: r.id, path: pathOf(r.id) }))
    .sort((a, b) => a.path.join("\u0000").localeCompare(b.path.join("\u0000")));
  return { items, truncated: rows.length > limit };
}
