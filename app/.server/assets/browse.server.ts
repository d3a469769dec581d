import { and, asc, eq, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { requireProjectPermissionWith, requireTenantPrincipal, type TenantScope } from "../access/permissions.server";
import type { KuraContext } from "../context";
import { folders, type metadataFields, type savedSearches } from "../db/tenant-schema";
import { fail } from "../http/errors.server";
import { fieldView, metadataFieldsStatement } from "../metadata/fields.server";
import { toFormError } from "../ui/forms.server";
import { facetsOf, tagFacetsStatement } from "./facets.server";
import { breadcrumbs, folderPathsOf, folderPathsStatement } from "./folders.server";
import { savedSearchesStatement, savedSearchView } from "./saved-searches.server";
import { listAssets, listAssetsPrefetch, listFilters, pageOfPrefetched } from "./search.server";
import type { BrowserAsset } from "~/components/assets/asset-browser";
import type { UiText } from "~/components/form-types";
import { CAPABILITIES } from "~/policy/capabilities";
import type { Asset } from "./view.server";
import { paramsOfSaved, toListQuery, type BrowseParams } from "~/schemas/forms/assets";

/**
 * The browse page's data in one call (ADR 0021): one project guard whose D1
 * batch also reads the folder, its subfolders, the user's saved searches,
 * the tenant's metadata fields, the tag facets of the list's scope and the
 * page of assets. The "move to" folder paths are not needed for the first
 * paint and come back as a promise (the route defers them).
 */

const MAX_SUBFOLDERS = 1000;

type Statement = BatchItem<"sqlite">;
type FolderRow = typeof folders.$inferSelect;
type SavedRow = typeof savedSearches.$inferSelect;
type FieldRow = typeof metadataFields.$inferSelect;

export type BrowseOptions = {
  pageSize: number;
  /** Keyset cursor of a further page ("load more", or a no-JS next-page link). */
  cursor?: string | undefined;
  /** Only the page (a "load more" fetch): the side panels are left empty. */
  pageOnly?: boolean;
  /** The viewer's zone: the date filters are days in it (ADR 0023). */
  timeZone: string;
};

function subfoldersStatement(scope: TenantScope, projectId: string, parentId: string | null) {
  return scope.db
    .select()
    .from(folders)
    .where(and(eq(folders.tenantId, scope.tenantId), eq(folders.projectId, projectId), parentId ? eq(folders.parentId, parentId) : isNull(folders.parentId)))
    .orderBy(asc(folders.name), asc(folders.id))
    .limit(MAX_SUBFOLDERS + 1);
}

function folderStatement(scope: TenantScope, projectId: string, folderId: string) {
  return scope.db
    .select()
    .from(folders)
    .where(and(eq(folders.tenantId, scope.tenantId), eq(folders.projectId, projectId), eq(folders.id, folderId)))
    .limit(1);
}

/** What the grid and list show (metadata values stay on the asset page). */
function slim(a: Asset): BrowserAsset {
  const tech = a.technical;
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    status: a.status,
    size: a.size,
    hasThumbnail: a.hasThumbnail,
    colorLabel: a.colorLabel,
    createdAt: a.createdAt,
    tags: a.tags,
    technical: {
      durationSeconds: tech.durationSeconds,
      width: tech.width,
      height: tech.height,
      frameRate: tech.frameRate,
      videoCodec: tech.videoCodec,
      audioCodec: tech.audioCodec,
    },
  };
}

export async function loadBrowse(ctx: KuraContext, projectId: string, browse: BrowseParams, options: BrowseOptions) {
  const principal = requireTenantPrincipal(ctx);
  const query = { ...toListQuery(browse, options.pageSize, options.timeZone), cursor: options.cursor };
  // Null for the rarer forms (metadata filters, a malformed cursor): listAssets reads those after the guard.
  const pagePrefetch = listAssetsPrefetch(projectId, query);
  const side = !options.pageOnly;
  // The facets count over the list's own filters. They ride in the guard's batch unless the
  // search text (whose use needs search.use, known only after the guard) or metadata filters
  // (which need the tenant's fields) are part of them.
  const facetFilters = side ? listFilters(projectId, query) : null;
  const facetsInBatch = facetFilters && !browse.q ? facetFilters.inBatch : null;
  const reads = (scope: TenantScope) => {
    const named: [string, Statement][] = [];
    if (browse.folder) named.push(["folder", folderStatement(scope, projectId, browse.folder)]);
    if (side) {
      named.push(["subfolders", subfoldersStatement(scope, projectId, browse.folder ?? null)]);
      named.push(["saved", savedSearchesStatement(scope, principal.userId, projectId)]);
      named.push(["fields", metadataFieldsStatement(scope)]);
      if (facetsInBatch) named.push(["facets", tagFacetsStatement(scope, projectId, facetsInBatch(scope))]);
    }
    if (pagePrefetch) for (const read of pagePrefetch.reads(scope)) named.push(["page", read]);
    return named;
  };
  let names: string[] = [];
  // One guard: 404 without a grant, 403 with a grant lacking asset.view; the reads ride in its batch.
  const { access, results } = await requireProjectPermissionWith(ctx, projectId, "asset.view", (scope) => {
    const named = reads(scope);
    names = named.map(([name]) => name);
    return named.map(([, statement]) => statement);
  });
  const out = results as unknown as unknown[][];
  const rowsOf = <T>(name: string) => (out[names.indexOf(name)] ?? []) as T[];
  const folderRow = browse.folder ? rowsOf<FolderRow>("folder")[0] : undefined;
  if (browse.folder && !folderRow) fail("not_found", "No such folder in this project.");

  // Searching needs search.use: without it the text is dropped (the page says so) rather than refused.
  const searchDenied = Boolean(browse.q) && !access.capabilities.has("search.use");
  let assets: { items: BrowserAsset[]; nextCursor: string | null } = { items: [], nextCursor: null };
  let filterError: UiText | null = null;
  let facetRows = rowsOf<{ tag: string; count: number }>("facets");
  try {
    const page =
      pagePrefetch && !searchDenied
        ? pageOfPrefetched(query, out.slice(names.indexOf("page")))
        : await listAssets(ctx, projectId, searchDenied ? { ...query, q: undefined } : query);
    assets = { items: page.items.map(slim), nextCursor: page.nextCursor };
    if (facetFilters && !facetsInBatch) {
      const listed = searchDenied ? listFilters(projectId, { ...query, q: undefined }) : facetFilters;
      facetRows = await tagFacetsStatement(access.data, projectId, await listed.afterGuard(access.data)).all();
    }
  } catch (error) {
    // A filter the server refuses (e.g. an unknown metadata key) is shown on the page.
    const formError = await toFormError(error);
    filterError = Object.values(formError.fields)[0] ?? formError.message;
  }

  const subfolderRows = rowsOf<FolderRow>("subfolders");
  return {
    project: { id: access.project.id, name: access.project.name, createdAt: access.project.createdAt },
    capabilities: CAPABILITIES.filter((c) => access.capabilities.has(c)),
    searchDenied,
    filterError,
    folder: folderRow
      ? { id: folderRow.id, name: folderRow.name, parentId: folderRow.parentId, breadcrumbs: await breadcrumbs(access.data, folderRow.id) }
      : null,
    subfolders: {
      items: subfolderRows.slice(0, MAX_SUBFOLDERS).map((f) => ({ id: f.id, name: f.name, parentId: f.parentId })),
      truncated: subfolderRows.length > MAX_SUBFOLDERS,
    },
    assets,
    facets: facetsOf(facetRows),
    savedSearches: rowsOf<SavedRow>("saved")
      .map(savedSearchView)
      .map((s) => ({ id: s.id, name: s.name, search: paramsOfSaved(s.query).toString() })),
    fields: rowsOf<FieldRow>("fields")
      .map(fieldView)
      .map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options })),
    /** Deferred: the "move to" choices (bulk bar, folder menus). */
    folderPaths: side
      ? folderPathsStatement(access.data, projectId)
          .all()
          .then((rows) => folderPathsOf(rows).items.map((f) => ({ id: f.id, path: f.path.join(" / ") })))
      : Promise.resolve([]),
  };
}

export type BrowseData = Awaited<ReturnType<typeof loadBrowse>>;
