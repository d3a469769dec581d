import { z } from "zod";

/**
 * The media pipeline's schemas (ADR 0030): what the transcoder reports and uploads, and the
 * media state the player and the API read. Shared by the routes, the domain code and the UI.
 */

export const OUTPUT_NAMES = ["proxy", "poster", "thumbnail", "filmstrip", "waveform", "preview"] as const;
export const OutputNameSchema = z.enum(OUTPUT_NAMES);
export type OutputName = z.infer<typeof OutputNameSchema>;

export const MEDIA_STATUSES = ["none", "queued", "working", "ready", "failed"] as const;
export const MEDIA_STAGES = ["reading", "transcoding", "storing"] as const;

/** Why a job failed; each has a sentence in ja and en (app/i18n). Unknown codes from a newer transcoder read as `transcoder_error`. */
export const MEDIA_ERROR_CODES = [
  "unrecognized_format",
  "unsupported_format",
  "no_media_streams",
  "decode_failed",
  "proxy_check_failed",
  "transfer_failed",
  "transcoder_error",
  "transcoder_rejected",
  "timed_out",
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];
export const mediaErrorCode = (code: string | null): MediaErrorCode | null =>
  code === null ? null : (MEDIA_ERROR_CODES as readonly string[]).includes(code) ? (code as MediaErrorCode) : "transcoder_error";

export const RateSchema = z.object({ num: z.number().int().positive().max(1_000_000), den: z.number().int().positive().max(1_000_000) });

const count = z.number().int().min(0).max(1e12);
const pixels = z.number().int().min(1).max(100_000);

/** What the transcoder says of one output; Kura keeps only these fields (sizes it measures itself). */
export const OutputMetaSchema = z.object({
  width: pixels.nullish(),
  height: pixels.nullish(),
  frames: count.nullish(),
  rate: RateSchema.nullish(),
  hasAudio: z.boolean().optional(),
  frame: count.optional(),
  step: z.number().int().min(1).max(1e9).optional(),
  tiles: z.number().int().min(1).max(10_000).optional(),
  columns: z.number().int().min(1).max(100).optional(),
  rows: z.number().int().min(1).max(10_000).optional(),
  tileWidth: z.number().min(1).max(10_000).optional(),
  tileHeight: z.number().min(1).max(10_000).optional(),
  codec: z.string().max(40).nullish(),
  durationSeconds: z.number().min(0).max(1e7).nullish(),
  length: count.optional(),
  samplesPerPeak: z.number().int().min(1).max(1e9).optional(),
  sampleRate: z.number().int().min(1).max(1e6).optional(),
});
export type OutputMeta = z.infer<typeof OutputMetaSchema>;

const text = (max: number) => z.string().max(max).nullish();

/** The technical facts ffprobe found; Kura fills what its own parser could not read. */
export const TranscoderTechnicalSchema = z.object({
  kind: z.enum(["video", "audio", "image"]).nullish(),
  container: text(100),
  durationSeconds: z.number().min(0).max(1e7).nullish(),
  bitRate: z.number().min(0).max(1e12).nullish(),
  width: pixels.nullish(),
  height: pixels.nullish(),
  videoCodec: text(40),
  frameRate: RateSchema.nullish(),
  frames: count.nullish(),
  startTimecode: z
    .string()
    .regex(/^\d{2}:\d{2}:\d{2}[:;]\d{2,3}$/)
    .nullish()
    .catch(null),
  audioCodec: text(40),
  audioChannels: z.number().int().min(0).max(1024).nullish(),
  audioSampleRate: z.number().int().min(0).max(1e7).nullish(),
});

/** POST /transcoder/callback: what the transcoder reports of the attempt its URL names. */
export const TranscoderEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("working"), stage: z.enum(MEDIA_STAGES).optional() }),
  z.object({
    event: z.literal("failed"),
    code: z.string().regex(/^[a-z_]{1,40}$/),
    detail: z.string().max(1000).optional(),
    retryable: z.boolean().default(false),
  }),
  z.object({
    event: z.literal("ready"),
    profile: z.number().int().min(1).max(1000),
    technical: TranscoderTechnicalSchema,
    outputs: z.partialRecord(OutputNameSchema, OutputMetaSchema.extend({ size: count.optional(), contentType: z.string().max(100).optional() })),
  }),
]);
export type TranscoderEvent = z.infer<typeof TranscoderEventSchema>;

export const GrantQuerySchema = z.object({ token: z.string().min(1).max(1024) });
export const OutputParamsSchema = z.object({ name: OutputNameSchema });
export const OutputQuerySchema = GrantQuerySchema.extend({
  uploadId: z.string().min(1).max(1024).optional(),
  part: z.coerce.number().int().min(1).max(10_000).optional(),
});
export const OutputStartSchema = z.object({ contentType: z.string().min(1).max(100) });
export const OutputCompleteSchema = z.object({
  parts: z
    .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
    .min(1)
    .max(10_000),
});

const DerivedUrl = z.string().describe("Same-origin path of the object.");

/** GET /assets/{id}/media: the derived objects and the state of the job that makes them. */
export const MediaStateSchema = z.object({
  status: z.enum(MEDIA_STATUSES),
  stage: z.enum(MEDIA_STAGES).nullable(),
  errorCode: z.enum(MEDIA_ERROR_CODES).nullable(),
  attempt: z.number().int(),
  updatedAt: z.string().nullable(),
  proxy: z
    .object({
      url: DerivedUrl,
      contentType: z.string(),
      size: z.number().int(),
      width: z.number().nullable(),
      height: z.number().nullable(),
      frames: z.number().nullable(),
      rate: RateSchema.nullable(),
      hasAudio: z.boolean(),
    })
    .nullable(),
  poster: z.object({ url: DerivedUrl, width: z.number().nullable(), height: z.number().nullable() }).nullable(),
  filmstrip: z
    .object({ url: DerivedUrl, step: z.number(), tiles: z.number(), columns: z.number(), rows: z.number(), tileWidth: z.number(), tileHeight: z.number() })
    .nullable(),
  waveform: z.object({ url: DerivedUrl }).nullable(),
  preview: z.object({ url: DerivedUrl, width: z.number().nullable(), height: z.number().nullable() }).nullable(),
  /** Whether the caller may download the proxy (asset.download_proxy) and retry the job (tenant or project admin). */
  canDownloadProxy: z.boolean(),
  canRetry: z.boolean(),
});
export type MediaState = z.infer<typeof MediaStateSchema>;

export const DerivedParamsSchema = z.object({ assetId: z.string().regex(/^ast_[a-z2-7]{26}$/), name: z.enum(["poster", "filmstrip", "waveform", "preview"]) });
