import { and, eq, sql } from "drizzle-orm";
import { commitAudited, recordAudit, type AuditContext, type AuditDraft } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { normaliseTags, parseTags } from "../assets/assets.server";
import { tagRowsFromJson } from "../assets/bulk.server";
import { csvCellText } from "../csv/csv.server";
import { decodeCsv } from "../csv/decode.server";
import { parseCsv } from "../csv/parse.server";
import { chunkedByJsonBytes, inJsonArray } from "../db/chunks.server";
import { D1_LIMITS } from "../db/d1-limits.server";
import { rawStatement } from "../db/raw-statement.server";
import { assets, type metadataFields } from "../db/tenant-schema";
import type { TenantData, TenantDb } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { toFieldErrors } from "../http/validation.server";
import { cellValue, importLayout, listOfCell, type ImportLayout } from "./csv-columns.server";
import { coerceValue, loadFields, parseStoredMetadata, searchTextOf, type MetadataValue } from "./values.server";
import { AssetParamsSchema, COLOR_LABELS, ColorLabelSchema, MAX_ASSET_TAGS, MIB } from "~/schemas/assets";
import type { Because, NoReason } from "~/schemas/error-reasons";
import { METADATA_CSV_LIMITS, type MetadataImportOptionsSchema, type MetadataImportReport } from "~/schemas/metadata-csv";
import type { z } from "zod";
import { TagListSchema } from "~/schemas/names";

/**
 * The metadata CSV import (ADR 0033). Rows are matched by asset id within the project; tags,
 * colour label and metadata fields are taken, everything else is read-only. Every cell is checked
 * with the checks the asset PATCH uses (coerceValue, TagSchema, ColorLabelSchema); a row with any
 * error is reported and left alone, the others are applied together in one D1 batch with one
 * `metadata.imported` event. The batch only writes rows that nobody changed since they were read
 * (their updated_at), so a concurrent edit or import is never overwritten with stale values: the
 * import reads again and retries.
 */

type Ctx = AuditContext;
type Field = typeof metadataFields.$inferSelect;

export type ImportOptions = z.output<typeof MetadataImportOptionsSchema>;
export type ImportRowError = { row: number; column: string; message: string } & (Because | NoReason);
export type ImportResult = Omit<MetadataImportReport, "errors"> & { errors: ImportRowError[] };

/** Reading the same rows again after a concurrent change; past this, the caller is told to try again (409). */
const ATTEMPTS = 4;

/** What one row asks for, checked; nothing in it depends on the asset's current values. */
type Wanted = { row: number; id: string; metadata: [string, MetadataValue | null][]; tags?: string[]; colorLabel?: string | null };

/** A row to write: the values as they will be stored, and the updated_at they were computed from. */
type Update = { id: string; p: string; m: string; t: string[]; c: string | null; s: string };

/** The spreadsheet's row number of a data record: the header is row 1. */
const rowNumber = (index: number) => index + 2;

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === "");

/** Checks one column's cell; pushes what is wrong. */
type Check = (cells: readonly string[], wanted: Wanted, error: (column: string, message: string, because?: Because) => void) => void;

/** The checks of the columns an import reads, in the file's column order (so a row's errors are listed left to right). */
function checks(layout: ImportLayout, header: readonly string[]): Check[] {
  const list: [number, Check][] = layout.metadata.map(({ index, column, field }) => [
    index,
    (cells, wanted, error) => {
      const value = cellValue(field, cells[index]!);
      if (value === null) {
        wanted.metadata.push([field.key, null]);
        return;
      }
      const result = coerceValue(field, value);
      if (result.ok) wanted.metadata.push([field.key, result.value]);
      else {
        const { ok: _refused, message, ...because } = result;
        error(column, message, because);
      }
    },
  ]);
  const tags = layout.tags;
  if (tags !== null) {
    list.push([
      tags,
      (cells, wanted, error) => {
        const parsed = TagListSchema.safeParse(listOfCell(cells[tags]!));
        if (!parsed.success) {
          const first = toFieldErrors(parsed.error)[0];
          error(header[tags]!, first?.message ?? "Not a tag.", first?.reason ? ({ reason: first.reason, params: first.params } as Because) : undefined);
        } else if (parsed.data.length > MAX_ASSET_TAGS) {
          error(header[tags]!, `At most ${MAX_ASSET_TAGS} tags.`, { reason: "csv_too_many_tags", params: { max: MAX_ASSET_TAGS } });
        } else wanted.tags = normaliseTags(parsed.data);
      },
    ]);
  }
  const color = layout.colorLabel;
  if (color !== null) {
    list.push([
      color,
      (cells, wanted, error) => {
        const text = csvCellText(cells[color]!).trim().toLowerCase();
        const parsed = ColorLabelSchema.safeParse(text);
        if (text === "") wanted.colorLabel = null;
        else if (parsed.success) wanted.colorLabel = parsed.data;
        else {
          const options = COLOR_LABELS.join(", ");
          error(header[color]!, `Must be one of: ${options}.`, { reason: "meta_not_an_option", params: { options } });
        }
      },
    ]);
  }
  return list.sort(([a], [b]) => a - b).map(([, check]) => check);
}

/** Every data row checked: the rows that may be applied, and the errors of the others. */
function readRows(records: readonly string[][], header: readonly string[], layout: ImportLayout) {
  const errors: ImportRowError[] = [];
  const wanted: Wanted[] = [];
  const firstRowOf = new Map<string, number>();
  const columnChecks = checks(layout, header);
  let rows = 0;
  records.forEach((cells, index) => {
    if (isBlank(cells)) return;
    rows++;
    const row = rowNumber(index);
    const error = (column: string, message: string, because?: Because) => errors.push({ row, column, message, ...because });
    const extra = cells.slice(header.length).some((c) => c.trim() !== "");
    if (cells.length < header.length || extra) {
      const params = { cells: cells.length, expected: header.length };
      error("", `This row has ${params.cells} cells; the header has ${params.expected}.`, { reason: "csv_cell_count", params });
      return;
    }
    const idColumn = header[layout.id]!;
    const id = csvCellText(cells[layout.id]!).trim();
    const before = errors.length;
    if (id === "") error(idColumn, "The id is empty.", { reason: "required" });
    // A malformed id gets the answer an unknown one gets: no asset with this id here.
    else if (!AssetParamsSchema.shape.assetId.safeParse(id).success) error(idColumn, "No asset with this id in this project.", { reason: "csv_not_found" });
    else if (firstRowOf.has(id)) {
      const first = firstRowOf.get(id)!;
      error(idColumn, `This asset is already on row ${first}.`, { reason: "csv_duplicate_row", params: { row: first } });
    } else firstRowOf.set(id, row);
    const one: Wanted = { row, id, metadata: [] };
    for (const check of columnChecks) check(cells, one, error);
    if (errors.length === before) wanted.push(one);
  });
  return { rows, wanted, errors };
}

const currentColumns = {
  id: assets.id,
  name: assets.name,
  tags: assets.tags,
  metadata: assets.metadata,
  colorLabel: assets.colorLabel,
  updatedAt: assets.updatedAt,
};
type Current = { id: string; name: string; tags: string; metadata: string; colorLabel: string | null; updatedAt: string };

/** The rows' assets as they are now, in this project only (one statement; the ids travel as one JSON parameter). */
async function currentAssets(data: TenantData, projectId: string, ids: readonly string[]): Promise<Map<string, Current>> {
  if (ids.length === 0) return new Map();
  const rows = await data.db
    .select(currentColumns)
    .from(assets)
    .where(and(eq(assets.tenantId, data.tenantId), eq(assets.projectId, projectId), inJsonArray(assets.id, ids)))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** A metadata record with its keys in order, to compare by value. */
const canonical = (record: Record<string, unknown>) => JSON.stringify(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The write a row needs against the asset as it is now, or null when it already holds these values. */
function updateOf(wanted: Wanted, current: Current, fields: Map<string, Field>): Update | null {
  const before = parseStoredMetadata(current.metadata);
  const metadata = { ...before };
  for (const [key, value] of wanted.metadata) {
    if (value === null) delete metadata[key];
    else metadata[key] = value;
  }
  const tagsBefore = parseTags(current.tags);
  const tags = wanted.tags ?? tagsBefore;
  const colorLabel = wanted.colorLabel === undefined ? current.colorLabel : wanted.colorLabel;
  if (canonical(metadata) === canonical(before) && JSON.stringify(tags) === JSON.stringify(tagsBefore) && colorLabel === current.colorLabel) return null;
  return { id: current.id, p: current.updatedAt, m: JSON.stringify(metadata), t: tags, c: colorLabel, s: searchTextOf(current.name, tags, metadata, fields) };
}

/** Fails the batch (nothing of it is kept) unless the UPDATE just before wrote all `n` rows: one changed after it was read. */
function everyRowWritten(db: TenantDb, n: number) {
  return rawStatement(db, sql`SELECT json_extract('{}', CASE WHEN changes() = ${n} THEN '$' ELSE 'kura-import-row-changed' END) AS gate`);
}

/** The statements of the writes: per piece of at most 2 MB of JSON (D1's largest value), the update, its check and the tag rows. */
function writeStatements(data: TenantData, projectId: string, updates: readonly Update[], withTags: boolean) {
  const now = new Date().toISOString();
  return chunkedByJsonBytes(updates, D1_LIMITS.maxValueBytes).flatMap((piece) => {
    const json = JSON.stringify(piece);
    return [
      rawStatement(
        data.db,
        sql`
        UPDATE ${assets} SET metadata = u.m, tags = u.t, color_label = u.c, search_text = u.s, updated_at = ${now}
        FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.p') AS p, json_extract(value, '$.m') AS m, json_extract(value, '$.t') AS t,
                     json_extract(value, '$.c') AS c, json_extract(value, '$.s') AS s FROM json_each(${json})) AS u
        WHERE ${assets.tenantId} = ${data.tenantId} AND ${assets.projectId} = ${projectId} AND ${assets.id} = u.id AND ${assets.updatedAt} = u.p`,
      ),
      everyRowWritten(data.db, piece.length),
      ...(withTags ? tagRowsFromJson(data, projectId, json) : []),
    ];
  });
}

/** Whether a failed write failed because an asset changed (or went) after it was read, told by the rows, not by the error's text. */
async function changedSinceRead(data: TenantData, projectId: string, updates: readonly Update[]): Promise<boolean> {
  const now = await currentAssets(
    data,
    projectId,
    updates.map((u) => u.id),
  );
  return updates.some((u) => now.get(u.id)?.updatedAt !== u.p);
}

/** The columns an import reads, as the report and the audit event name them. */
function appliedColumns(layout: ImportLayout, header: readonly string[]): string[] {
  return [layout.tags, layout.colorLabel, ...layout.metadata.map((m) => m.index)].filter((i): i is number => i !== null).map((i) => header[i]!);
}

const AUDITED_IDS = 100;

/** 413 for a file over the import's limit (the page checks a File's size before reading it). */
export function refuseLargeFile(size: number): void {
  if (size <= METADATA_CSV_LIMITS.maxBytes) return;
  const megabytes = METADATA_CSV_LIMITS.maxBytes / MIB;
  fail("too_large", `The file is over ${megabytes} MiB.`, { reason: "csv_file_too_large", params: { megabytes } });
}

type Read = ReturnType<typeof readRows> & { header: readonly string[]; layout: ImportLayout; encoding: ImportResult["encoding"] };

/** The import against the assets as they are now: its report, and the writes it needs. */
async function planned(data: TenantData, projectId: string, read: Read, fields: Map<string, Field>, dryRun: boolean) {
  const { header, layout, wanted, rows } = read;
  const current = await currentAssets(
    data,
    projectId,
    wanted.map((w) => w.id),
  );
  const notFound: ImportRowError[] = wanted
    .filter((w) => !current.has(w.id))
    .map((w) => ({ row: w.row, column: header[layout.id]!, message: "No asset with this id in this project.", reason: "csv_not_found" }));
  const updates = wanted.flatMap((w) => {
    const asset = current.get(w.id);
    const update = asset ? updateOf(w, asset, fields) : null;
    return update ? [update] : [];
  });
  const errors = [...read.errors, ...notFound].sort((a, b) => a.row - b.row);
  const failed = new Set(errors.map((e) => e.row)).size;
  const report: ImportResult = {
    dryRun,
    encoding: read.encoding,
    rows,
    updated: updates.length,
    unchanged: rows - failed - updates.length,
    failed,
    columns: { applied: appliedColumns(layout, header), readOnly: layout.readOnly, unknown: layout.unknown },
    errors: errors.slice(0, METADATA_CSV_LIMITS.maxReportedErrors),
    errorsOmitted: Math.max(0, errors.length - METADATA_CSV_LIMITS.maxReportedErrors),
  };
  return { report, updates };
}

/** The one event of an applied import: its counts and the first changed ids. */
function importedEvent(projectId: string, projectName: string, report: ImportResult, updates: readonly Update[]): AuditDraft {
  const { rows, updated, unchanged, failed, encoding } = report;
  return {
    action: "metadata.imported",
    target: { type: "project", id: projectId, name: projectName },
    details: {
      rows,
      updated,
      unchanged,
      failed,
      encoding,
      columns: report.columns.applied,
      assetIds: updates.slice(0, AUDITED_IDS).map((u) => u.id),
      ...(updates.length > AUDITED_IDS ? { assetIdsOmitted: updates.length - AUDITED_IDS } : {}),
    },
  };
}

export async function importMetadataCsv(ctx: Ctx, projectId: string, source: () => Promise<Uint8Array>, options: ImportOptions): Promise<ImportResult> {
  const { data, project } = await requireProjectPermission(ctx, projectId, "asset.edit_metadata");
  const bytes = await source();
  refuseLargeFile(bytes.byteLength);
  const { text, encoding } = decodeCsv(bytes, options.encoding);
  const [header, ...records] = parseCsv(text, METADATA_CSV_LIMITS.maxRows + 1);
  if (!header || isBlank(header)) fail("bad_request", "The file is empty.", { reason: "csv_empty" });
  if (records.length > METADATA_CSV_LIMITS.maxRows) {
    const max = METADATA_CSV_LIMITS.maxRows;
    fail("too_large", `The file has more than ${max} rows; split it.`, { reason: "csv_too_many_rows", params: { max } });
  }
  const fields = await loadFields(data);
  const layout = importLayout(header, fields);
  const read: Read = { ...readRows(records, header, layout), header, layout, encoding };

  for (let attempt = 1; ; attempt++) {
    const { report, updates } = await planned(data, projectId, read, fields, options.dryRun);
    if (options.dryRun) return report;
    const event = importedEvent(projectId, project.name, report, updates);
    if (updates.length === 0) {
      await recordAudit(ctx, data, event);
      return report;
    }
    const statements = writeStatements(data, projectId, updates, layout.tags !== null) as unknown as Parameters<typeof commitAudited>[2];
    try {
      await commitAudited(ctx, data, statements, event);
      return report;
    } catch (error) {
      if (!(await changedSinceRead(data, projectId, updates))) throw error;
      if (attempt === ATTEMPTS) {
        fail("conflict", "These assets were being changed by someone else at the same time; nothing was changed. Import again.", { reason: "csv_conflict" });
      }
    }
  }
}
