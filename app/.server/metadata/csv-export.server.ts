import { and, asc, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import { recordAudit, type AuditContext } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { requireFolderInProject } from "../assets/assets.server";
import { MAX_FOLDER_DEPTH } from "../assets/folders.server";
import { datedFileName } from "../assets/zip-name.server";
import { CSV_BOM, csvLine } from "../csv/csv.server";
import { inJsonArray } from "../db/chunks.server";
import { assets, folders } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
import { contentDisposition } from "../http/content-disposition.server";
import { fail } from "../http/errors.server";
import { metadataFieldsStatement } from "./fields.server";
import { exportCells, exportHeader } from "./csv-columns.server";
import { parseStoredMetadata } from "./values.server";
import { METADATA_CSV_LIMITS, type MetadataExportScope } from "~/schemas/metadata-csv";

/**
 * The metadata CSV export (ADR 0033): a selection or a folder (with or without its subfolders) of a
 * project, as UTF-8 with a byte-order mark, CRLF, every cell quoted and formula-safe. The file is
 * streamed a page of assets at a time (each page one statement with a handful of parameters, far
 * below D1's 100), so a large folder is never held whole.
 */

type Ctx = AuditContext;

/** Assets per page: at most 200 statements for the largest export (D1 allows 1,000 per invocation). */
const PAGE = 500;

const encoder = new TextEncoder();

type Scope = { where: SQL | undefined; folderName: string | null; expected: number | null; details: Record<string, unknown> };

/** The folder and every folder below it (one recursive statement, bounded by the nesting limit). */
async function subtreeIds(data: TenantData, folderId: string): Promise<string[]> {
  const rows = await data.db.all<{ id: string }>(sql`
    WITH RECURSIVE sub(id, depth) AS (
      SELECT id, 0 FROM ${folders} WHERE tenant_id = ${data.tenantId} AND id = ${folderId}
      UNION ALL
      SELECT f.id, sub.depth + 1 FROM ${folders} f JOIN sub ON f.parent_id = sub.id
      WHERE f.tenant_id = ${data.tenantId} AND sub.depth < ${MAX_FOLDER_DEPTH}
    )
    SELECT id FROM sub`);
  return rows.map((r) => r.id);
}

/** The assets of the scope, as a condition; 404 for a folder that is not in the project. */
async function scopeOf(data: TenantData, projectId: string, scope: MetadataExportScope): Promise<Scope> {
  if ("assetIds" in scope) {
    const ids = [...new Set(scope.assetIds)];
    return { where: inJsonArray(assets.id, ids), folderName: null, expected: ids.length, details: { scope: "selection" } };
  }
  const details = { scope: "folder", folderId: scope.folderId, subfolders: scope.subfolders };
  if (scope.folderId === "root") return { where: scope.subfolders ? undefined : isNull(assets.folderId), folderName: null, expected: null, details };
  const folder = await requireFolderInProject(data, projectId, scope.folderId);
  const where = scope.subfolders ? inJsonArray(assets.folderId, await subtreeIds(data, folder.id)) : eq(assets.folderId, folder.id);
  return { where, folderName: folder.name, expected: null, details };
}

/** Each folder's path from the project root ("Shoot/Day 1"), read for a page's folders (and their ancestors) as they come. */
function folderPaths(data: TenantData) {
  const known = new Map<string, { name: string; parentId: string | null }>();
  return {
    async load(folderIds: readonly (string | null)[]) {
      const missing = [...new Set(folderIds.filter((id): id is string => id !== null && !known.has(id)))];
      if (missing.length === 0) return;
      const rows = await data.db.all<{ id: string; name: string; parent_id: string | null }>(sql`
        WITH RECURSIVE up(id, name, parent_id, depth) AS (
          SELECT id, name, parent_id, 0 FROM ${folders} WHERE tenant_id = ${data.tenantId} AND id IN (SELECT value FROM json_each(${JSON.stringify(missing)}))
          UNION ALL
          SELECT f.id, f.name, f.parent_id, up.depth + 1 FROM ${folders} f JOIN up ON f.id = up.parent_id
          WHERE f.tenant_id = ${data.tenantId} AND up.depth < ${MAX_FOLDER_DEPTH}
        )
        SELECT DISTINCT id, name, parent_id FROM up`);
      for (const r of rows) known.set(r.id, { name: r.name, parentId: r.parent_id });
    },
    pathOf(folderId: string | null): string {
      const names: string[] = [];
      for (let at = folderId, guard = 0; at && guard <= MAX_FOLDER_DEPTH; guard++) {
        const folder = known.get(at);
        if (!folder) break;
        names.unshift(folder.name);
        at = folder.parentId;
      }
      return names.join("/");
    },
  };
}

const pageColumns = {
  id: assets.id,
  folderId: assets.folderId,
  name: assets.name,
  nameKey: assets.nameKey,
  tags: assets.tags,
  colorLabel: assets.colorLabel,
  kind: assets.kind,
  contentType: assets.contentType,
  size: assets.size,
  createdAt: assets.createdAt,
  technical: assets.technical,
  metadata: assets.metadata,
};

function parsed(json: string, fallback: unknown): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return fallback;
  }
}

export type ExportOptions = { timeZone?: string | undefined };

/**
 * Needs asset.view. A selection must lie wholly in the project (else 404, like a zip); a folder
 * must be the project's. Recorded as `metadata.exported` with the count, before the first byte.
 */
export async function exportMetadataCsv(ctx: Ctx, projectId: string, scope: MetadataExportScope, options: ExportOptions = {}): Promise<Response> {
  const { data, project } = await requireProjectPermission(ctx, projectId, "asset.view");
  const { where, folderName, expected, details } = await scopeOf(data, projectId, scope);
  const inScope = and(eq(assets.tenantId, data.tenantId), eq(assets.projectId, projectId), where);
  const [counted, fields] = await data.db.batch([
    data.db
      .select({ n: sql<number>`count(*)` })
      .from(assets)
      .where(inScope),
    metadataFieldsStatement(data),
  ]);
  const count = Number(counted[0]?.n ?? 0);
  if (expected !== null && count !== expected) fail("not_found", "Some of these assets do not exist in this project.");
  if (count > METADATA_CSV_LIMITS.maxExportRows) {
    const max = METADATA_CSV_LIMITS.maxExportRows;
    fail("bad_request", `An export holds at most ${max} assets; export one folder at a time.`, { reason: "csv_export_too_large", params: { max } });
  }
  await recordAudit(ctx, data, { action: "metadata.exported", target: { type: "project", id: projectId, name: project.name }, details: { ...details, count } });

  const paths = folderPaths(data);
  let after: { nameKey: string; id: string } | null = null;
  let headerSent = false;
  const nextPage = () =>
    data.db
      .select(pageColumns)
      .from(assets)
      .where(and(inScope, after ? or(gt(assets.nameKey, after.nameKey), and(eq(assets.nameKey, after.nameKey), gt(assets.id, after.id))) : undefined))
      .orderBy(asc(assets.nameKey), asc(assets.id))
      .limit(PAGE)
      .all();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvLine(exportHeader(fields))));
        return;
      }
      try {
        const rows = await nextPage();
        await paths.load(rows.map((r) => r.folderId));
        const lines = rows.map((r) =>
          csvLine(
            exportCells(
              {
                ...r,
                folderPath: paths.pathOf(r.folderId),
                tags: parsed(r.tags, []) as string[],
                technical: parsed(r.technical, {}) as Record<string, unknown>,
                metadata: parseStoredMetadata(r.metadata),
              },
              fields,
            ),
          ),
        );
        if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
        const last = rows.at(-1);
        if (rows.length < PAGE || !last) controller.close();
        else after = { nameKey: last.nameKey, id: last.id };
      } catch (error) {
        // The headers are gone: the download ends short, and the log says why.
        ctx.logger.error("metadata_export_failed", { tenantId: data.tenantId, projectId, error: String(error) });
        controller.error(error);
      }
    },
  });
  const name = datedFileName({ projectName: project.name, folderName, at: new Date(), timeZone: options.timeZone ?? "UTC" }, "_metadata.csv");
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": contentDisposition(name), "Cache-Control": "no-store" },
  });
}
