import { z } from "zod";
import { AssetParamsSchema, FolderParamsSchema, MIB } from "./assets";

/**
 * Metadata CSV export and import (issue #14, ADR 0033): the API's bodies, query and report, and the
 * limits the page forms share. The page forms are built from the same schemas
 * (app/schemas/forms/metadata-csv.ts).
 */

export const METADATA_CSV_LIMITS = {
  /** Largest file an import reads. */
  maxBytes: 5 * MIB,
  /** Data rows an import takes (the header is not counted). */
  maxRows: 5_000,
  /** Assets a selection export may name (as many as a bulk edit). */
  maxSelection: 10_000,
  /** Assets one export may hold; past that, export folder by folder. */
  maxExportRows: 100_000,
  /** Row errors an import report lists; the rest are counted. */
  maxReportedErrors: 1_000,
} as const;

/** `auto`: a UTF-8 byte-order mark, else UTF-8 if the bytes are valid UTF-8, else Shift_JIS (Windows-31J). */
export const CSV_ENCODINGS = ["auto", "utf-8", "shift_jis"] as const;
export const CsvEncodingSchema = z.enum(CSV_ENCODINGS);

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** The import's options: the API's query string, and the browse page's import form (the same fields). */
export const MetadataImportOptionsSchema = z.object({
  dryRun: flag.default(false).describe("true: check every row and report what would change, without changing anything (a preview)"),
  encoding: CsvEncodingSchema.default("auto").describe(
    "The file's encoding; `auto` reads a UTF-8 byte-order mark, else valid UTF-8, else Shift_JIS (Windows-31J, as Japanese Excel saves)",
  ),
});

/** The root of a project (assets outside any folder), or one of its folders. */
export const FolderScopeSchema = z.union([z.literal("root"), FolderParamsSchema.shape.folderId]);

export const MetadataExportSelectionSchema = z
  .object({ assetIds: z.array(AssetParamsSchema.shape.assetId).min(1).max(METADATA_CSV_LIMITS.maxSelection) })
  .strict();

export const MetadataExportFolderSchema = z
  .object({
    folderId: FolderScopeSchema.describe("`root` = the project's top level"),
    subfolders: z.boolean().default(false).describe("Include every folder below (from `root`: the whole project)"),
  })
  .strict();

export const MetadataExportBodySchema = z.union([MetadataExportSelectionSchema, MetadataExportFolderSchema]);
export type MetadataExportScope = z.output<typeof MetadataExportBodySchema>;

export const ImportRowErrorSchema = z.object({
  row: z.number().int().describe("The spreadsheet's row number: the header is row 1, the first asset row 2"),
  column: z.string().describe("The column's header, as in the file"),
  message: z.string(),
});

export const MetadataImportReportSchema = z.object({
  dryRun: z.boolean(),
  encoding: z.enum(["utf-8", "shift_jis"]).describe("How the file was read"),
  rows: z.number().int().describe("Asset rows read (blank lines are skipped)"),
  updated: z.number().int().describe("Rows whose asset changed (with dryRun: would change)"),
  unchanged: z.number().int().describe("Valid rows whose asset already held these values"),
  failed: z.number().int().describe("Rows not applied, each with at least one error"),
  columns: z.object({
    applied: z.array(z.string()).describe("Columns read: tags, colorLabel, metadata.<key>"),
    readOnly: z.array(z.string()).describe("Columns ignored because they cannot be changed by an import (name, folder, technical fields)"),
    unknown: z.array(z.string()).describe("Columns ignored because they are no export column and no metadata field"),
  }),
  errors: z.array(ImportRowErrorSchema),
  errorsOmitted: z.number().int().describe(`Errors past the first ${METADATA_CSV_LIMITS.maxReportedErrors}, not listed`),
});
export type MetadataImportReport = z.output<typeof MetadataImportReportSchema>;
