/**
 * The browse page's metadata CSV forms (ADR 0033), built from the API's schemas
 * (app/schemas/metadata-csv.ts): the import form's fields are the API's query parameters, and the
 * export form names a selection or a folder as the API's body does.
 */
import { z } from "zod";
import { FolderScopeSchema, METADATA_CSV_LIMITS, MetadataImportOptionsSchema } from "../metadata-csv";
import { assetIdList } from "./assets";

export const MetadataImportFormSchema = MetadataImportOptionsSchema.extend({ intent: z.literal("metadata-import") });

/** A checkbox: sent as "true" when ticked, absent otherwise. */
const ticked = z
  .literal("true")
  .optional()
  .transform((v) => v === "true");

export const MetadataExportFormSchema = z.union([
  z.object({ assetIds: assetIdList(METADATA_CSV_LIMITS.maxSelection) }),
  z.object({ folderId: FolderScopeSchema, subfolders: ticked }),
]);
