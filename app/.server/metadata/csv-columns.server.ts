import type { metadataFields } from "../db/tenant-schema";
import { csvCellText } from "../csv/csv.server";
import { fail } from "../http/errors.server";
import type { MetadataRecord, MetadataValue } from "./values.server";
import { NO_TEXT, YES_TEXT } from "~/schemas/forms/assets";

/**
 * The columns of the metadata CSV (ADR 0033), one list for the export and the import, and how a
 * value becomes a cell and a cell a value. Headers are the API's names (`colorLabel`,
 * `durationSeconds`) and `metadata.<key>` for the tenant's fields, so they never depend on the
 * user's language and a field keyed like a fixed column cannot be mistaken for it.
 */

type Field = typeof metadataFields.$inferSelect;

/** What an export row shows of an asset. */
export type ExportAsset = {
  id: string;
  name: string;
  folderPath: string;
  tags: string[];
  colorLabel: string | null;
  kind: string;
  contentType: string;
  size: number;
  createdAt: string;
  technical: Record<string, unknown>;
  metadata: MetadataRecord;
};

type Cell = string | number | null;

export const ID_COLUMN = "id";
export const TAGS_COLUMN = "tags";
export const COLOR_COLUMN = "colorLabel";
export const METADATA_PREFIX = "metadata.";

/** The technical fields exported (the contract's `technical`), read-only. */
const TECHNICAL_KEYS = [
  "container",
  "durationSeconds",
  "width",
  "height",
  "frameRate",
  "videoCodec",
  "videoCodecName",
  "audioCodec",
  "audioChannels",
  "audioSampleRate",
  "bitRate",
  "startTimecode",
] as const;

/** Tags and multiselect values: one per line of the cell. Neither may hold a line break (both refuse control characters), so this splits back exactly. */
export function listCell(items: readonly string[]): string {
  return items.join("\n");
}

export function listOfCell(cell: string): string[] {
  return csvCellText(cell)
    .split(/\r\n|\r|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function technicalCell(value: unknown): Cell {
  return typeof value === "number" || typeof value === "string" ? value : null;
}

/** A stored metadata value as a cell: lists one per line, booleans as true/false. */
export function valueCell(value: MetadataValue | undefined): Cell {
  if (value === undefined) return null;
  if (Array.isArray(value)) return listCell(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return value;
}

/** The columns before the metadata ones, with how each reads an asset; only tags and colorLabel are imported. */
const FIXED: { name: string; cell: (a: ExportAsset) => Cell }[] = [
  { name: ID_COLUMN, cell: (a) => a.id },
  { name: "name", cell: (a) => a.name },
  { name: "folder", cell: (a) => a.folderPath },
  { name: TAGS_COLUMN, cell: (a) => listCell(a.tags) },
  { name: COLOR_COLUMN, cell: (a) => a.colorLabel },
  { name: "kind", cell: (a) => a.kind },
  { name: "contentType", cell: (a) => a.contentType },
  { name: "size", cell: (a) => a.size },
  { name: "createdAt", cell: (a) => a.createdAt },
  ...TECHNICAL_KEYS.map((key) => ({ name: key, cell: (a: ExportAsset) => technicalCell(a.technical[key]) })),
];

const IMPORTED = new Set([ID_COLUMN, TAGS_COLUMN, COLOR_COLUMN].map((c) => c.toLowerCase()));
const READ_ONLY = new Set(FIXED.map((c) => c.name.toLowerCase()).filter((c) => !IMPORTED.has(c)));

export function exportHeader(fields: readonly Field[]): string[] {
  return [...FIXED.map((c) => c.name), ...fields.map((f) => `${METADATA_PREFIX}${f.key}`)];
}

export function exportCells(asset: ExportAsset, fields: readonly Field[]): Cell[] {
  return [...FIXED.map((c) => c.cell(asset)), ...fields.map((f) => valueCell(asset.metadata[f.key]))];
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Excel rewrites a date cell in the locale's form when it saves (2026/3/1 in Japan). */
const SLASHED_DATE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;

/**
 * A cell as the value to check against its field (coerceValue, the asset PATCH's own check):
 * null when empty (the value is removed). Numbers, yes/no and dates are read from what people and
 * spreadsheets type (full-width digits, はい/いいえ, 2026/3/1); anything that does not read as its
 * type is passed on as text, so the check refuses it with the field's own message.
 */
export function cellValue(field: Pick<Field, "type">, cell: string): unknown {
  const text = csvCellText(cell);
  if (text.trim() === "") return null;
  const plain = text.normalize("NFKC").trim();
  switch (field.type) {
    case "text":
    case "textarea":
      return text;
    case "number":
      return DECIMAL.test(plain) ? Number(plain) : text;
    case "boolean":
      return YES_TEXT.test(plain) ? true : NO_TEXT.test(plain) ? false : text;
    case "date": {
      const slashed = SLASHED_DATE.exec(plain);
      return slashed ? `${slashed[1]}-${slashed[2]!.padStart(2, "0")}-${slashed[3]!.padStart(2, "0")}` : plain;
    }
    case "multiselect":
      return listOfCell(cell);
    default:
      return text.trim();
  }
}

/** Where an import finds what it reads, and what it leaves. */
export type ImportLayout = {
  id: number;
  tags: number | null;
  colorLabel: number | null;
  metadata: { index: number; column: string; field: Field }[];
  /** Export columns that an import does not change. */
  readOnly: string[];
  /** Neither an export column nor a field of the tenant. */
  unknown: string[];
};

/**
 * Reads the header row. Fixed columns are matched without regard to case; a field's column is
 * `metadata.<key>`, or the bare key when no fixed column has that name. A header named twice, or
 * none named id, refuses the file (400): which cell to read would be a guess.
 */
export function importLayout(header: readonly string[], fields: ReadonlyMap<string, Field>): ImportLayout {
  const layout: ImportLayout = { id: -1, tags: null, colorLabel: null, metadata: [], readOnly: [], unknown: [] };
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const column = raw.replace(/^\uFEFF/, "").trim();
    if (column === "") return;
    const lower = column.toLowerCase();
    const key = column.startsWith(METADATA_PREFIX) ? column.slice(METADATA_PREFIX.length) : READ_ONLY.has(lower) || IMPORTED.has(lower) ? null : column;
    const identity = key === null ? lower : `${METADATA_PREFIX}${key}`;
    if (seen.has(identity)) fail("bad_request", `The column "${column}" appears twice.`, { reason: "csv_duplicate_column", params: { column } });
    seen.add(identity);
    const field = key === null ? undefined : fields.get(key);
    if (lower === ID_COLUMN) layout.id = index;
    else if (lower === TAGS_COLUMN) layout.tags = index;
    else if (lower === COLOR_COLUMN.toLowerCase()) layout.colorLabel = index;
    else if (field) layout.metadata.push({ index, column, field });
    else if (key === null) layout.readOnly.push(column);
    else layout.unknown.push(column);
  });
  if (layout.id < 0) fail("bad_request", "The first row must name the columns, including id.", { reason: "csv_no_id_column" });
  return layout;
}
