import { z } from "zod";
import { DisplayNameSchema, MetadataFieldKeySchema, SavedSearchNameSchema, SearchTextSchema, TagSchema } from "./names";

/** Schemas of the Assets section of the contract, shared by the API, the UI and the uploader. */

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{26}$`), "Not a valid id.");

export const ASSET_KINDS = ["video", "audio", "image", "other"] as const;
export const ASSET_STATUSES = ["processing", "ready", "failed"] as const;
export const COLOR_LABELS = ["red", "orange", "yellow", "green", "blue", "purple", "gray"] as const;
export const ASSET_SORTS = ["name", "-name", "createdAt", "-createdAt", "size", "-size"] as const;

export const MIB = 1024 * 1024;
/** Largest body of a one-request upload and of one part (Workers accept 100 MB bodies). */
export const MAX_SINGLE_UPLOAD_BYTES = 95 * MIB;
export const MIN_PART_SIZE = 5 * MIB;
export const MAX_PART_SIZE = 95 * MIB;
export const DEFAULT_PART_SIZE = 32 * MIB;
/** R2's limit on parts per multipart upload. */
export const MAX_PARTS = 10_000;
export const MAX_ASSET_BYTES = MAX_PART_SIZE * MAX_PARTS;

export { DisplayNameSchema, TagSchema } from "./names";

export const ColorLabelSchema = z.enum(COLOR_LABELS);

/** The most tags one asset carries (the PATCH's list, and a metadata CSV import's cell). */
export const MAX_ASSET_TAGS = 100;

/** Values by field type are checked against the tenant's field definitions in metadata/values.server.ts. */
export const MetadataValuesSchema = z.record(
  MetadataFieldKeySchema,
  z.union([z.string().max(10_000), z.number(), z.boolean(), z.array(z.string().max(200)).max(200), z.null()]),
);

export { ProjectParamsSchema } from "./admin";
export const FolderParamsSchema = z.object({ folderId: id("fol") });
export const AssetParamsSchema = z.object({ assetId: id("ast") });
export const UploadParamsSchema = z.object({ uploadId: id("upl") });
export const PartParamsSchema = z.object({ uploadId: id("upl"), partNumber: z.coerce.number().int().min(1).max(MAX_PARTS) });
export const SavedSearchParamsSchema = z.object({ savedSearchId: id("svs") });

// --- Folders -----------------------------------------------------------------

export const FolderSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const FolderDetailSchema = FolderSchema.extend({
  breadcrumbs: z.array(z.object({ id: z.string(), name: z.string() })).describe("From the project root down to this folder"),
});

export const CreateFolderBodySchema = z
  .object({ name: DisplayNameSchema, parentId: id("fol").nullable().optional(), metadata: MetadataValuesSchema.optional() })
  .strict();

export const UpdateFolderBodySchema = z
  .object({
    name: DisplayNameSchema.optional(),
    parentId: id("fol").nullable().optional().describe("Move under this folder; null moves to the project root"),
    metadata: MetadataValuesSchema.optional().describe("Merged into the folder's metadata; a null value removes the field"),
  })
  .strict();

export const ListFoldersQuerySchema = z.object({
  parentId: id("fol").optional().describe("Children of this folder; omitted = top-level folders"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

// --- Assets -----------------------------------------------------------------

const TrackSchema = z.object({
  kind: z.enum(["video", "audio"]),
  codec: z.string().optional(),
  codecName: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  frameRate: z.number().optional(),
  bitDepth: z.number().optional(),
  channels: z.number().optional(),
  sampleRate: z.number().optional(),
});

export const TechnicalSchema = z.object({
  container: z.string().optional(),
  durationSeconds: z.number().optional(),
  width: z.number().optional().describe("As displayed (EXIF orientation applied)"),
  height: z.number().optional().describe("As displayed (EXIF orientation applied)"),
  frameRate: z.number().optional(),
  videoCodec: z.string().optional().describe("Short codec id, ffmpeg-like: h264, prores, dnxhd, mpeg2video"),
  videoCodecName: z.string().optional().describe("Human name with profile, e.g. Apple ProRes 422 Proxy"),
  videoBitDepth: z.number().optional(),
  audioCodec: z.string().optional().describe("Short codec id, ffmpeg-like: aac, pcm_s24le"),
  audioChannels: z.number().optional(),
  audioSampleRate: z.number().optional(),
  audioBitDepth: z.number().optional(),
  bitRate: z.number().optional(),
  startTimecode: z.string().optional(),
  tracks: z.array(TrackSchema).optional().describe("Every video and audio track, when there is more than one of a kind"),
  exif: z
    .object({
      make: z.string().optional(),
      model: z.string().optional(),
      dateTimeOriginal: z.string().optional().describe("Camera wall-clock time YYYY-MM-DDTHH:MM:SS, with ±HH:MM when the camera recorded its offset"),
      lensMake: z.string().optional(),
      lensModel: z.string().optional(),
      iso: z.number().optional(),
      fNumber: z.number().optional(),
      exposureTime: z.number().optional().describe("Seconds"),
      focalLength: z.number().optional().describe("Millimetres"),
      focalLength35mm: z.number().optional(),
      orientation: z.number().int().min(1).max(8).optional(),
      gps: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().optional() }).optional(),
    })
    .optional(),
});

/**
 * Why a file could not be (fully) read: stable codes, shown in the user's
 * language (see problemText in components/assets/technical-table.tsx).
 */
export const PROBLEM_CODES = ["unknown_format", "unsupported_format", "damaged", "truncated", "too_complex", "read_failed", "processing_incomplete"] as const;
export const ProblemCodeSchema = z.enum(PROBLEM_CODES);
export type ProblemCode = z.infer<typeof ProblemCodeSchema>;

const StoredProblemSchema = z.object({ code: ProblemCodeSchema, detail: z.string().max(2000).optional() });
export type StoredProblem = z.infer<typeof StoredProblemSchema>;

/** The `problem` column: JSON {code, detail?}; rows written before codes hold an English sentence. */
export function encodeProblem(problem: StoredProblem | null): string | null {
  return problem ? JSON.stringify(problem) : null;
}

export function decodeProblem(stored: string | null): { code: ProblemCode | null; text: string | null } {
  if (!stored) return { code: null, text: null };
  if (stored.startsWith("{")) {
    try {
      const parsed = StoredProblemSchema.safeParse(JSON.parse(stored));
      if (parsed.success) return { code: parsed.data.code, text: parsed.data.detail ?? null };
    } catch {
      // Not JSON after all: an old free-text problem.
    }
  }
  return { code: null, text: stored };
}

export const AssetSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  folderId: z.string().nullable(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  kind: z.enum(ASSET_KINDS),
  status: z.enum(ASSET_STATUSES),
  problem: z.string().nullable().describe("Why processing failed, or what of the file could not be read (English detail for support; see problemCode)"),
  problemCode: ProblemCodeSchema.nullable().describe("Stable code of the problem; null for none or for problems recorded before codes existed"),
  sha256: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
  tags: z.array(z.string()),
  colorLabel: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  technical: TechnicalSchema,
  hasThumbnail: z.boolean(),
});

export const UpdateAssetBodySchema = z
  .object({
    name: DisplayNameSchema.optional(),
    folderId: id("fol").nullable().optional(),
    metadata: MetadataValuesSchema.optional().describe("Merged into the asset's metadata; a null value removes the field"),
    tags: z.array(TagSchema).max(MAX_ASSET_TAGS).optional().describe("Replaces the asset's tags"),
    colorLabel: ColorLabelSchema.nullable().optional(),
  })
  .strict();

export const ListAssetsQuerySchema = z.object({
  q: SearchTextSchema.optional().describe("Searches names, tags and text metadata; substrings work in Japanese"),
  folderId: z
    .union([z.literal("root"), id("fol")])
    .optional()
    .describe("Assets directly in this folder; `root` = the project root; omitted = the whole project"),
  tag: z
    .union([TagSchema, z.array(TagSchema).max(20)])
    .optional()
    .describe("Repeatable: assets carrying all these tags"),
  kind: z.enum(ASSET_KINDS).optional(),
  status: z.enum(ASSET_STATUSES).optional(),
  colorLabel: ColorLabelSchema.optional(),
  minDuration: z.coerce.number().min(0).optional().describe("Seconds"),
  maxDuration: z.coerce.number().min(0).optional().describe("Seconds"),
  minWidth: z.coerce.number().int().min(0).optional(),
  minHeight: z.coerce.number().int().min(0).optional(),
  createdFrom: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe("Created at or after (ISO date or time)"),
  createdTo: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe("Created before (ISO date or time)"),
  meta: z
    // At most 20, like saved searches: each binds two parameters, and the whole list statement must stay within D1's 100 (ADR 0016).
    .union([z.string(), z.array(z.string()).max(20)])
    .optional()
    .describe("Repeatable metadata filter `key:value` (equality; multiselect: contains), at most 20"),
  sort: z.enum(ASSET_SORTS).default("-createdAt"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export type ListAssetsQuery = z.output<typeof ListAssetsQuerySchema>;

export const TagFacetSchema = z.object({ tag: z.string(), count: z.number() });

export const BulkAssetsBodySchema = z
  .object({
    assetIds: z.array(id("ast")).min(1).max(10_000),
    metadata: MetadataValuesSchema.optional(),
    addTags: z.array(TagSchema).max(50).optional(),
    removeTags: z.array(TagSchema).max(50).optional(),
    colorLabel: ColorLabelSchema.nullable().optional(),
    folderId: id("fol").nullable().optional(),
  })
  .strict();

export const BulkDeleteBodySchema = z.object({ assetIds: z.array(id("ast")).min(1).max(1_000) }).strict();

export const BulkResultSchema = z.object({ updated: z.number() });

export const ZipBodySchema = z.object({ assetIds: z.array(id("ast")).min(1).max(1_000), name: DisplayNameSchema.optional() }).strict();

// --- Uploads ----------------------------------------------------------------

export const CreateUploadBodySchema = z
  .object({
    filename: DisplayNameSchema,
    size: z.number().int().min(1, "Empty files cannot be uploaded.").max(MAX_ASSET_BYTES),
    contentType: z.string().max(200).optional(),
    folderId: id("fol").nullable().optional(),
    partSize: z
      .number()
      .int()
      .min(MIN_PART_SIZE)
      .max(MAX_PART_SIZE)
      .optional()
      .describe("Bytes; default 32 MiB, raised when needed to stay within 10,000 parts"),
  })
  .strict();

export const UploadCreatedSchema = z.object({
  uploadId: z.string(),
  assetId: z.string(),
  partSize: z.number(),
  partCount: z.number(),
  expiresAt: z.string(),
});

export const UploadStatusSchema = z.object({
  uploadId: z.string(),
  assetId: z.string(),
  filename: z.string(),
  size: z.number(),
  partSize: z.number(),
  partCount: z.number(),
  receivedParts: z.array(z.number()),
  status: z.enum(["open", "completing", "completed", "aborted"]),
  expiresAt: z.string(),
});

/** An upload in progress, as listed for its uploader and for the project's admins. */
export const UploadListItemSchema = z.object({
  uploadId: z.string(),
  assetId: z.string(),
  filename: z.string(),
  size: z.number(),
  receivedBytes: z.number(),
  status: z.enum(["open", "completing"]),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** The one-request upload's form: `file` and an optional `folderId`; the file's name becomes the display name. */
export const SmallUploadFormSchema = z
  .object({
    file: z.custom<File>((v) => typeof File !== "undefined" && v instanceof File, "Attach the file in a `file` field."),
    folderId: id("fol").optional(),
  })
  .transform((v, ctx) => {
    const name = DisplayNameSchema.safeParse(v.file.name);
    if (!name.success) {
      ctx.addIssue({ code: "custom", path: ["file"], message: name.error.issues[0]?.message ?? "Invalid file name." });
      return z.NEVER;
    }
    if (v.file.size === 0) {
      ctx.addIssue({ code: "custom", path: ["file"], message: "Empty files cannot be uploaded." });
      return z.NEVER;
    }
    return { ...v, name: name.data };
  });

export const PartReceivedSchema = z.object({ partNumber: z.number(), etag: z.string() });

// --- Saved searches ---------------------------------------------------------

export const SavedSearchQuerySchema = z
  .object({
    q: SearchTextSchema.optional(),
    folderId: z.string().max(40).optional(),
    tag: z.array(TagSchema).max(20).optional(),
    kind: z.enum(ASSET_KINDS).optional(),
    colorLabel: ColorLabelSchema.optional(),
    minDuration: z.number().min(0).optional(),
    maxDuration: z.number().min(0).optional(),
    minWidth: z.number().int().min(0).optional(),
    minHeight: z.number().int().min(0).optional(),
    createdFrom: z.string().max(40).optional(),
    createdTo: z.string().max(40).optional(),
    meta: z.array(z.string().max(300)).max(20).optional(),
    sort: z.enum(ASSET_SORTS).optional(),
  })
  .strict();

export const CreateSavedSearchBodySchema = z.object({ name: SavedSearchNameSchema, query: SavedSearchQuerySchema }).strict();

export const SavedSearchSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  query: SavedSearchQuerySchema,
  createdAt: z.string(),
});

// --- Usage --------------------------------------------------------------------

export const UsageSchema = z.object({
  bytes: z.number(),
  assets: z.number(),
  quotaBytes: z.number(),
  reservedBytes: z.number().describe("Bytes of multipart uploads in progress, held against the quota"),
  projects: z.array(z.object({ projectId: z.string(), name: z.string(), bytes: z.number(), assets: z.number() })),
  history: z.array(z.object({ date: z.string(), bytes: z.number(), assets: z.number() })).describe("One entry per day, oldest first"),
});

export const UsageQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(400).default(30) });
