import { and, eq } from "drizzle-orm";
import { downloadZip } from "client-zip";
import { recordAudit, type AuditContext } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { folders } from "../db/tenant-schema";
import { contentDisposition } from "../http/content-disposition.server";
import { fail } from "../http/errors.server";
import { rangedObjectResponse } from "../http/ranged.server";
import { fileNameSegment, isNoFileName } from "~/schemas/names";
import { assetKeys } from "./keys.server";
import { requireAssetPermission } from "./assets.server";
import { selectionRows } from "./bulk.server";
import { chosenZipName, zipFileName } from "./zip-name.server";

/**
 * Serving bytes: originals (Range, ETag, RFC 6266/5987 names) and zips of a selection streamed entry by entry (never held whole).
 */

type Ctx = AuditContext;

/** Types a browser may render inline from our origin: media only, never HTML, SVG or PDF. */
const INLINE_SAFE = /^(video|audio)\/[\w.+-]+$|^image\/(jpeg|png|gif|webp|avif|heic|heif)$/;

/**
 * GET /assets/{id}/original. `?disposition=inline` plays media in the page
 * (the detail page's player); both need `asset.download_original`, because
 * they are the same bytes. A download is recorded once per request that
 * starts at byte 0, not for every seek of a player.
 */
export async function serveOriginal(ctx: Ctx, assetId: string, request: Request, disposition: "attachment" | "inline") {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.download_original");
  // Inline only for media types a browser cannot turn into script; everything else is a download.
  const inline = disposition === "inline" && INLINE_SAFE.test(asset.contentType);
  const headers = new Headers({
    "Content-Type": inline ? asset.contentType : "application/octet-stream",
    "Content-Disposition": contentDisposition(asset.name, inline ? "inline" : "attachment"),
    "Cache-Control": "private, no-cache",
  });
  const served = await rangedObjectResponse(data.storage, assetKeys.original(asset.id), request, headers);
  if (!served) fail("not_found", "The file of this asset is not stored (it may still be uploading).");
  const { range } = served;
  if (range === "whole" || range?.offset === 0) {
    await recordAudit(ctx, data, {
      action: "asset.downloaded",
      target: { type: "asset", id: asset.id, name: asset.name },
      details: { projectId: asset.projectId, disposition, ...(range === "whole" ? {} : { range: `${range.offset}-${range.offset + range.length - 1}` }) },
    });
  }
  return served.response;
}

/**
 * One segment of a zip path, safe whatever the stored name (a legacy row may
 * predate the name rules): NFC, no control or bidi characters, no / or \
 * (each becomes "_"), never empty, "." or ".." (those become "_"). So no entry
 * can climb out of the folder it is extracted into (zip-slip), start at the
 * root, or display as something else.
 */
export function zipSegment(name: string): string {
  const clean = fileNameSegment(name);
  return isNoFileName(clean) ? "_".repeat(Math.max(1, clean.length)) : clean;
}

/** Unique paths inside the zip: "a.mov", "a (2).mov", … */
function uniquePath(used: Set<string>, path: string): string {
  if (!used.has(path)) {
    used.add(path);
    return path;
  }
  const dot = path.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [path.slice(0, dot), path.slice(dot)] : [path, ""];
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

/**
 * POST /projects/{projectId}/assets/zip: a zip (stored, not deflated: media
 * is compressed already) streamed entry by entry from R2, each object read
 * only when the zip writer reaches it. Folder names become zip paths.
 */
export type ZipOptions = {
  /** The caller's own file name (API `name`); otherwise it is made from the project, folder and date. */
  name?: string | undefined;
  /**
   * The IANA time zone of the date in the file name. Tenants and users have
   * no time zone setting yet, so callers pass nothing and get UTC; wire the
   * user's (then the tenant's) zone here when they exist.
   */
  timeZone?: string | undefined;
};

type FolderRow = { id: string; name: string; parentId: string | null };

/** The folders from the root down to `folderId` (empty for the root). */
function folderChain(byId: Map<string, FolderRow>, folderId: string | null): FolderRow[] {
  const chain: FolderRow[] = [];
  for (let id = folderId, guard = 0; id && guard < 40; guard++) {
    const f = byId.get(id);
    if (!f) break;
    chain.unshift(f);
    id = f.parentId;
  }
  return chain;
}

/** The deepest folder holding every selected asset (null when only the project root does). */
function commonFolder(chains: FolderRow[][]): FolderRow | null {
  const [first, ...rest] = chains;
  if (!first) return null;
  let depth = first.length;
  for (const chain of rest) {
    let same = 0;
    while (same < Math.min(depth, chain.length) && chain[same]!.id === first[same]!.id) same++;
    depth = same;
  }
  return depth > 0 ? first[depth - 1]! : null;
}

export async function zipSelection(ctx: Ctx, projectId: string, assetIds: readonly string[], options: ZipOptions = {}) {
  const { data, project } = await requireProjectPermission(ctx, projectId, "asset.download_original");
  const rows = await selectionRows(data, projectId, assetIds);
  const folderRows = await data.db
    .select({ id: folders.id, name: folders.name, parentId: folders.parentId })
    .from(folders)
    .where(and(eq(folders.tenantId, data.tenantId), eq(folders.projectId, projectId)))
    .all();
  const byId = new Map(folderRows.map((f) => [f.id, f]));
  const pathOf = (folderId: string | null): string =>
    folderChain(byId, folderId)
      .map((f) => `${zipSegment(f.name)}/`)
      .join("");
  const storage = data.storage;
  const used = new Set<string>();
  const entries = rows.map((a) => ({ asset: a, path: uniquePath(used, pathOf(a.folderId) + zipSegment(a.name)) }));
  await recordAudit(ctx, data, {
    action: "asset.downloaded",
    target: { type: "project", id: projectId },
    details: { zip: true, assetIds: rows.map((a) => a.id), count: rows.length },
  });
  async function* files() {
    for (const { asset, path } of entries) {
      const object = await storage.get(assetKeys.original(asset.id));
      if (!object) continue;
      yield { name: path, input: object.body, size: object.size, lastModified: new Date(asset.createdAt) };
    }
  }
  const name = options.name
    ? chosenZipName(options.name)
    : zipFileName({
        projectName: project.name,
        folderName: commonFolder(rows.map((a) => folderChain(byId, a.folderId)))?.name,
        at: new Date(),
        timeZone: options.timeZone ?? "UTC",
      });
  const zip = downloadZip(files(), {
    // Sizes known up front give a Content-Length, so the browser shows real progress.
    metadata: entries.map(({ asset, path }) => ({ name: path, size: asset.size })),
  });
  const headers = new Headers(zip.headers);
  headers.set("Content-Type", "application/zip");
  headers.set("Content-Disposition", contentDisposition(name));
  headers.set("Cache-Control", "no-store");
  return new Response(zip.body, { status: 200, headers });
}
