import { and, asc, desc, eq, gte, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import type { AuditContext } from "../audit/record.server";
import { requireProjectPermission, requireProjectPermissionWith, type ProjectPrefetch, type TenantScope } from "../access/permissions.server";
import { assetTags, assets, folders } from "../db/tenant-schema";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import type { TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { SearchTextSchema } from "~/schemas/names";
import { loadFields } from "../metadata/values.server";
import type { ListAssetsQuery } from "~/schemas/assets";
import { requireFolderInProject } from "./assets.server";
import { searchTerms, termPhrase } from "./search-text.server";
import type { BatchItem } from "drizzle-orm/batch";
import { assetListColumns, assetView, type AssetListRow } from "./view.server";

/**
 * Browse and search (ADR 0010). Keyset pagination on (sort column, id): a
 * cursor is the last row's key, so rows inserted while someone pages never
 * shift or repeat what they see. `q` uses the trigram FTS5 index for every
 * term (CJK has no word breaks, so substrings are what people type); terms
 * of one or two characters use its boundary-marked copy (search-text.server.ts).
 */

type Ctx = AuditContext;

const SORTS = {
  createdAt: { column: assets.createdAt, cursor: (r: AssetListRow) => r.createdAt },
  name: { column: assets.nameKey, cursor: (r: AssetListRow) => r.nameKey },
  size: { column: assets.size, cursor: (r: AssetListRow) => r.size },
} as const;

/** The FTS5 query for `q`: every term as a quoted phrase, all required; null when `q` has no terms. */
function ftsMatch(terms: readonly string[]): string | null {
  return terms.length === 0 ? null : terms.map(termPhrase).join(" AND ");
}

/**
 * The walk plan's test of one row: every term is a substring of the row's own
 * search text. This gives the same rows as the FTS phrase (the trigram index
 * matches substrings of the same NFKC, lower-case text; the boundary-marked
 * copy only ever matches where the plain text does, see search-text.server.ts)
 * but costs what the page shows: `rid IN (SELECT rowid … MATCH …)` made
 * SQLite build the list of every hit first (120,000 rowids, about 50 ms at a
 * million assets, for a term in 12% of them) before the first row was tested.
 */
function substringTests(terms: readonly string[]): SQL[] {
  return terms.map((term) => sql`instr(${assets.searchText}, ${term}) > 0`);
}

/**
 * Up to this many hits of `q` in the project, a page is read from the hits
 * themselves: each row by its rowid, then sorted. Above it, the project's
 * sort index is walked in the page's order and each row's search text tested
 * (substringTests). Walking costs the rows it passes, about limit × rows/hits:
 * a few hundred for a common term, but for a rare one the whole project; at
 * just over 1,000 hits in a million assets about 51,000 rows (some 25 ms).
 * Reading the hits costs about 1 ms per thousand hits, whatever the
 * project's size, and counting them up to FEW_HITS + 1 stays under 1 ms.
 */
const FEW_HITS = 1000;

/**
 * The page statements for a search. SQLite cannot choose between the two
 * plans itself (it has no statistics for the FTS table), so both are sent and
 * each one's LIMIT is 0 unless the hit count (counted only up to FEW_HITS + 1)
 * calls for its plan. A LIMIT of 0 ends a statement before it reads anything,
 * where a false WHERE condition would still let it walk its index.
 */
function searchLimit(scope: { tenantId: string; projectId: string }, match: string, plan: "hits" | "walk", limit: number): number {
  // The hits are counted in the caller's own project, never across the shard:
  // otherwise one tenant's data would choose another tenant's plan, and its
  // response time would tell how common a term is elsewhere (a timing oracle).
  const few = sql`(SELECT count(*) FROM (SELECT 1 FROM assets_fts JOIN assets AS hit ON hit.rid = assets_fts.rowid
    WHERE assets_fts MATCH ${match} AND +hit.tenant_id = ${scope.tenantId} AND +hit.project_id = ${scope.projectId} LIMIT ${FEW_HITS + 1})) <= ${FEW_HITS}`;
  const expression = plan === "hits" ? sql`CASE WHEN ${few} THEN ${limit} ELSE 0 END` : sql`CASE WHEN ${few} THEN 0 ELSE ${limit} END`;
  // drizzle renders an object LIMIT as SQL (sqlite-core dialect buildLimit); its type only says number.
  return expression as unknown as number;
}

async function metadataConditions(data: TenantData, filters: readonly string[]): Promise<SQL[]> {
  if (filters.length === 0) return [];
  const fields = await loadFields(data);
  return filters.map((filter, i) => {
    const at = filter.indexOf(":");
    const key = at > 0 ? filter.slice(0, at) : "";
    const value = at > 0 ? filter.slice(at + 1) : "";
    const field = fields.get(key);
    if (!field)
      fail("validation_failed", "The query string is not valid.", {
        fields: [{ path: `meta[${i}]`, message: `Use key:value with a metadata field key; "${key}" is not one.` }],
      });
    const path = `$.${key}`;
    switch (field.type) {
      case "multiselect":
        return sql`EXISTS (SELECT 1 FROM json_each(${assets.metadata}, ${path}) WHERE json_each.value = ${value})`;
      case "number": {
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n))
          fail("validation_failed", "The query string is not valid.", { fields: [{ path: `meta[${i}]`, message: `${key} takes a number.` }] });
        return sql`json_extract(${assets.metadata}, ${path}) = ${n}`;
      }
      case "boolean":
        if (value !== "true" && value !== "false")
          fail("validation_failed", "The query string is not valid.", { fields: [{ path: `meta[${i}]`, message: `${key} takes true or false.` }] });
        return sql`json_extract(${assets.metadata}, ${path}) = ${value === "true" ? 1 : 0}`;
      default:
        return sql`json_extract(${assets.metadata}, ${path}) = ${value.normalize("NFC")}`;
    }
  });
}

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Start of a day for a date-only bound; times pass through, normalised to UTC. */
function bound(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

type Listing = ReturnType<typeof listing>;

/** The page statement and its cursor for a list query (shared by the handler and the route's prefetch). */
function listing(projectId: string, query: ListAssetsQuery) {
  const folderId = query.folderId && query.folderId !== "root" ? query.folderId : null;
  const descending = query.sort.startsWith("-");
  const sort = SORTS[query.sort.replace(/^-/, "") as keyof typeof SORTS];
  const after = query.cursor ? decodeCursor(query.cursor, ["v", "id"]) : null;

  const terms = query.q ? searchTerms(query.q) : [];
  const match = ftsMatch(terms);

  /**
   * What the list filters on, without the page's cursor (the page statement
   * and the tag facets share it, so a facet counts what its click lists).
   * "hits" hides the project's indexes from the planner (unary +), so the
   * page reads the hits by rowid; "walk" tests each row of the project's sort
   * index (substringTests); "all" (the facets, which count every hit) reads
   * the hits from the FTS index with the project's indexes left visible.
   */
  const filters = (data: TenantScope, extra: SQL[] = [], plan: "hits" | "walk" | "all" = "walk"): SQL[] => {
    const scope =
      plan === "hits"
        ? [sql`+${assets.tenantId} = ${data.tenantId}`, sql`+${assets.projectId} = ${projectId}`]
        : [eq(assets.tenantId, data.tenantId), eq(assets.projectId, projectId)];
    const conditions: SQL[] = [...scope, ...extra];
    if (query.folderId === "root") conditions.push(isNull(assets.folderId));
    else if (folderId) conditions.push(eq(assets.folderId, folderId));
    if (query.kind) conditions.push(eq(assets.kind, query.kind));
    if (query.status) conditions.push(eq(assets.status, query.status));
    if (query.colorLabel) conditions.push(eq(assets.colorLabel, query.colorLabel));
    if (query.minDuration !== undefined) conditions.push(gte(assets.durationSeconds, query.minDuration));
    if (query.maxDuration !== undefined) conditions.push(lte(assets.durationSeconds, query.maxDuration));
    if (query.minWidth !== undefined) conditions.push(gte(assets.width, query.minWidth));
    if (query.minHeight !== undefined) conditions.push(gte(assets.height, query.minHeight));
    if (query.createdFrom) conditions.push(gte(assets.createdAt, bound(query.createdFrom)));
    if (query.createdTo) conditions.push(lt(assets.createdAt, bound(query.createdTo)));
    for (const tag of asArray(query.tag)) {
      conditions.push(sql`EXISTS (SELECT 1 FROM ${assetTags} WHERE ${assetTags.assetId} = ${assets.id} AND ${assetTags.tag} = ${tag})`);
    }
    if (match && plan !== "walk") conditions.push(sql`${assets.rid} IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ${match})`);
    else if (match) conditions.push(...substringTests(terms));
    return conditions;
  };

  /** The page statement. With a search there are two (see searchLimit), one per plan. */
  const page = (data: TenantScope, extra: SQL[] = [], plan: "hits" | "walk" = "walk") => {
    const conditions = filters(data, extra, plan);
    if (after) {
      const value = sort === SORTS.size ? Number(after.v) : after.v;
      // A row-value comparison, (sort, id) < (v, id') — the same rows as
      // "sort < v OR (sort = v AND id < id')" (both columns are NOT NULL), but
      // SQLite turns it into a range on the (project_id, sort, id) index; with
      // the OR form it walked the index from the first row up to the cursor, so
      // page n read n × limit index entries and their rows.
      conditions.push(sql`(${sort.column}, ${assets.id}) ${descending ? sql`<` : sql`>`} (${value}, ${after.id})`);
    }
    const order = descending ? [desc(sort.column), desc(assets.id)] : [asc(sort.column), asc(assets.id)];
    return data.db
      .select(assetListColumns)
      .from(assets)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(match ? searchLimit({ tenantId: data.tenantId, projectId }, match, plan, query.limit + 1) : query.limit + 1);
  };

  /** The page's statements: one, or a search's two plans of which only one reads (their rows are concatenated). */
  const pages = (data: TenantScope, extra: SQL[] = []) => (match ? [page(data, extra, "hits"), page(data, extra, "walk")] : [page(data, extra)]);

  /**
   * The common form's reads, checked with access in one batch: the folder when
   * one is named, then the page. Keyed by everything they are built from.
   */
  const key = JSON.stringify(["assets.list", projectId, query]);
  const read = (data: TenantScope) =>
    folderId
      ? [
          data.db
            .select({ id: folders.id })
            .from(folders)
            .where(and(eq(folders.tenantId, data.tenantId), eq(folders.projectId, projectId), eq(folders.id, folderId)))
            .limit(1),
          ...pages(data),
        ]
      : pages(data);

  return { folderId, sort, pages, filters, reads: { key, reads: read } };
}

/**
 * The reads a browse/search page lets its route guard send with the
 * credential (ADR 0014). None for metadata filters, which need the tenant's
 * field definitions first; none for a malformed cursor, which the handler
 * answers with 400.
 */
export function listAssetsPrefetch(projectId: string, query: ListAssetsQuery): ProjectPrefetch | null {
  if (asArray(query.meta).length > 0) return null;
  let list: Listing;
  try {
    list = listing(projectId, query);
  } catch (thrown) {
    if (thrown instanceof Response) return null;
    throw thrown;
  }
  return { projectId, ...list.reads };
}

/**
 * The list's conditions for its tag facets (ADR 0021): everything the list
 * filters on, the text and metadata included, never its cursor. `inBatch` is
 * null when they cannot be built before the guard's batch: metadata filters
 * need the tenant's fields read first.
 */
export function listFilters(projectId: string, query: ListAssetsQuery) {
  const { filters } = listing(projectId, { ...query, cursor: undefined });
  const meta = asArray(query.meta);
  return {
    inBatch: meta.length === 0 ? (data: TenantScope) => filters(data, [], "all") : null,
    afterGuard: async (data: TenantData) => filters(data, await metadataConditions(data, meta), "all"),
  };
}

export async function listAssets(ctx: Ctx, projectId: string, query: ListAssetsQuery) {
  // Search text is re-checked with its own schema: no NUL or control character reaches the FTS index.
  if (query.q !== undefined) checkField(SearchTextSchema, query.q, "q");
  const metaFilters = asArray(query.meta);
  const { folderId, sort, pages, reads } = listing(projectId, query);

  let rows: AssetListRow[];
  if (metaFilters.length > 0) {
    // Metadata filters need the tenant's field definitions first, so this
    // (rarer) form checks access, then reads the fields, then the page.
    const access = await requireProjectPermission(ctx, projectId, "asset.view");
    if (query.q && !access.capabilities.has("search.use")) await requireProjectPermission(ctx, projectId, "search.use");
    if (folderId) await requireFolderInProject(access.data, projectId, folderId);
    const statements = pages(access.data, await metadataConditions(access.data, metaFilters));
    rows = ((await access.data.db.batch(statements as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as AssetListRow[][]).flat();
  } else {
    // The common form: the access check, the folder check and the page in one
    // D1 batch (one round trip), or read by the route guard together with the
    // credential (ADR 0014). The page is read before access is decided and
    // returned only if it is granted (requireProjectPermissionWith).
    const { access, results } = await requireProjectPermissionWith(ctx, projectId, "asset.view", reads);
    // Searching needs search.use as well; the guard refuses (and records the denial) when it is missing.
    if (query.q && !access.capabilities.has("search.use")) await requireProjectPermission(ctx, projectId, "search.use");
    const out = results as unknown as unknown[][];
    if (folderId && out[0]!.length === 0) fail("not_found", "No such folder in this project.");
    rows = (out.slice(folderId ? 1 : 0) as AssetListRow[][]).flat();
  }
  return pageOfRows(rows, query, sort);
}

/** A page and its cursor from a page statement's rows (limit + 1 of them tell whether more follow). */
function pageOfRows(rows: AssetListRow[], query: ListAssetsQuery, sort: (typeof SORTS)[keyof typeof SORTS]) {
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map(assetView),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ v: String(sort.cursor(last)), id: last.id }) : null,
  };
}

/**
 * A page from the results of listAssetsPrefetch's reads, for a caller that
 * sent them in its own guard's batch (the browse page, ADR 0021): the folder
 * check (404) when a folder is named, then the page.
 */
export function pageOfPrefetched(query: ListAssetsQuery, results: unknown[]) {
  const { folderId, sort } = listing("", query);
  const out = results as unknown[][];
  if (folderId && out[0]!.length === 0) fail("not_found", "No such folder in this project.");
  return pageOfRows((out.slice(folderId ? 1 : 0) as AssetListRow[][]).flat(), query, sort);
}

/** Tag facets: each tag in the project with the number of assets carrying it, commonest first. */
export async function tagFacets(ctx: Ctx, projectId: string, limit = 200) {
  const { data } = await requireProjectPermission(ctx, projectId, "asset.view");
  const rows = await data.db
    .select({ tag: assetTags.tag, count: sql<number>`count(*)` })
    .from(assetTags)
    .where(and(eq(assetTags.tenantId, data.tenantId), eq(assetTags.projectId, projectId)))
    .groupBy(assetTags.tag)
    .orderBy(desc(sql`count(*)`), asc(assetTags.tag))
    .limit(limit)
    .all();
  return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
}
