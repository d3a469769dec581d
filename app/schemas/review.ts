import { z } from "zod";
import { PageQuerySchema } from "./common";
import { DisplayNameSchema } from "./names";

/**
 * Schemas of the Review and sharing section of the contract (issue #14): markers (付箋) with
 * their shapes, shared by the API, the player's marker panel and the domain functions.
 *
 * Frames are integers counted from the asset's first frame, at the rate stored with each marker;
 * timecodes are only derived from them (app/media/timecode.ts).
 */

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{26}$`), "Not a valid id.");

/** Server-side limits; the panel shows the same numbers. */
export const MARKER_LIMITS = {
  /** Markers and replies on one asset. */
  perAsset: 1000,
  textLength: 2000,
  shapes: 20,
  pointsPerStroke: 500,
  /** Points of all freehand strokes of one marker together. */
  pointsPerMarker: 2000,
} as const;

/** The colours of DaVinci Resolve's markers, so that an EDL keeps them (app/media/edl.ts). */
export const MARKER_COLORS = ["yellow", "red", "green", "blue", "cyan", "pink", "purple"] as const;
export const DEFAULT_MARKER_COLOR = "yellow";
export const MarkerColorSchema = z.enum(MARKER_COLORS);

export const MarkerParamsSchema = z.object({ markerId: id("mrk") });

/** Frame numbers: whole, non-negative, below 24 h at 60 fps. */
export const FrameSchema = z
  .number()
  .int("A frame is a whole number.")
  .min(0)
  .max(24 * 3600 * 60);

// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A note people write: NFC, trimmed, 1–`max` characters, line breaks kept, no controls or bidi overrides. */
const noteText = (max: number, empty: string) =>
  z
    .string()
    .transform((s) => s.normalize("NFC").replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, empty)
        .max(max)
        .refine((s) => !CONTROLS_BUT_NEWLINE_AND_TAB.test(s), "Control and direction characters are not allowed."),
    );

/** A marker's or reply's text: 1–2000 characters. */
export const MarkerTextSchema = noteText(MARKER_LIMITS.textLength, "Write something.");

// --- Shapes -----------------------------------------------------------------
// Drawn over the picture, in coordinates normalised to the frame (0..1 from the top left), so
// they land on the same place at any display size. `version` lets the format grow.

const unit = z.number().min(0).max(1);
const Point = z.tuple([unit, unit]);
/** A box inside the frame (a little slack for rounding). */
const box = { x: unit, y: unit, w: unit, h: unit };
const inside = (s: { x: number; y: number; w: number; h: number }) => s.x + s.w <= 1.000001 && s.y + s.h <= 1.000001;

export const SHAPE_TYPES = ["rect", "ellipse", "arrow", "freehand"] as const;

const RectShape = z.object({ type: z.literal("rect"), ...box, color: MarkerColorSchema.optional() }).refine(inside, "The box leaves the frame.");
const EllipseShape = z.object({ type: z.literal("ellipse"), ...box, color: MarkerColorSchema.optional() }).refine(inside, "The box leaves the frame.");
const ArrowShape = z.object({ type: z.literal("arrow"), from: Point, to: Point, color: MarkerColorSchema.optional() });
const FreehandShape = z.object({
  type: z.literal("freehand"),
  points: z.array(Point).min(2).max(MARKER_LIMITS.pointsPerStroke),
  color: MarkerColorSchema.optional(),
});

export const MarkerShapeSchema = z.union([RectShape, EllipseShape, ArrowShape, FreehandShape]);
export type MarkerShape = z.output<typeof MarkerShapeSchema>;

export const MarkerShapesSchema = z
  .object({ version: z.literal(1), items: z.array(MarkerShapeSchema).min(1).max(MARKER_LIMITS.shapes) })
  .refine(
    (s) => s.items.reduce((n, shape) => n + (shape.type === "freehand" ? shape.points.length : 0), 0) <= MARKER_LIMITS.pointsPerMarker,
    `At most ${MARKER_LIMITS.pointsPerMarker} points in all strokes of one marker.`,
  );
export type MarkerShapes = z.output<typeof MarkerShapesSchema>;

// --- Bodies and views -------------------------------------------------------

export const CreateMarkerBodySchema = z
  .object({
    startFrame: FrameSchema,
    endFrame: FrameSchema.nullish(),
    text: MarkerTextSchema,
    color: MarkerColorSchema.optional(),
    shapes: MarkerShapesSchema.nullish(),
  })
  .strict()
  .refine((b) => b.endFrame == null || b.endFrame >= b.startFrame, { message: "The end is before the start.", path: ["endFrame"] });

/** Frames, text, colour and shapes are the author's (or an admin's); `resolved` is anyone's with marker.edit. */
export const UpdateMarkerBodySchema = z
  .object({
    startFrame: FrameSchema.optional(),
    endFrame: FrameSchema.nullish(),
    text: MarkerTextSchema.optional(),
    color: MarkerColorSchema.optional(),
    shapes: MarkerShapesSchema.nullish(),
    resolved: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "Nothing to change.");

export const ReplyBodySchema = z.object({ text: MarkerTextSchema }).strict();

export const RateSchema = z.object({ num: z.number().int().positive(), den: z.number().int().positive() });

export const MarkerAuthorSchema = z.object({
  type: z.enum(["user", "guest"]),
  id: z.string().nullable(),
  name: z.string(),
});

export const ReplySchema = z.object({
  id: z.string(),
  parentId: z.string(),
  text: z.string(),
  author: MarkerAuthorSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const MarkerSchema = z.object({
  id: z.string(),
  assetId: z.string(),
  startFrame: z.number().int(),
  endFrame: z.number().int().nullable(),
  rate: RateSchema,
  /** Display only, from the asset's start timecode; frames are the truth. */
  startTimecode: z.string(),
  endTimecode: z.string().nullable(),
  text: z.string(),
  color: MarkerColorSchema,
  shapes: MarkerShapesSchema.nullable(),
  resolved: z.boolean(),
  author: MarkerAuthorSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  replies: z.array(ReplySchema),
});
export type Marker = z.output<typeof MarkerSchema>;

export const MarkerExportQuerySchema = z.object({ format: z.enum(["csv", "edl"]).default("csv") });

// --- Collections ------------------------------------------------------------

export const COLLECTION_LIMITS = { assets: 10_000, addAtOnce: 200 } as const;

const assetId = id("ast");

export const CollectionParamsSchema = z.object({ collectionId: id("col") });
export const CollectionAssetParamsSchema = z.object({ collectionId: id("col"), assetId });

export const CreateCollectionBodySchema = z.object({ projectId: id("prj"), name: DisplayNameSchema }).strict();
export const UpdateCollectionBodySchema = z.object({ name: DisplayNameSchema }).strict();
/** Adds a selection from browse at once (assets of other projects or unknown ids are not added). */
export const AddCollectionAssetsBodySchema = z.object({ assetIds: z.array(assetId).min(1).max(COLLECTION_LIMITS.addAtOnce) }).strict();

export const CollectionSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  assetCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Collection = z.output<typeof CollectionSchema>;

// --- Shares -----------------------------------------------------------------

export const SHARE_SCOPES = ["preview", "preview_download", "preview_upload", "preview_upload_download"] as const;
export const ShareScopeSchema = z.enum(SHARE_SCOPES);
export const SHARE_LIMITS = { recipients: 50, assets: 1000, maxExpiryDays: 365, passwordMin: 8, messageLength: 1000 } as const;
/** A share's state, derived from its expiry, pause and revocation (shareState). */
export const SHARE_STATES = ["active", "paused", "expired", "revoked"] as const;
export const ShareStateSchema = z.enum(SHARE_STATES);

export const ShareParamsSchema = z.object({ shareId: id("shr") });
export const ShareLinkParamsSchema = z.object({ shareId: id("shr"), linkId: id("shl") });
/** A share link's token as it appears in a URL: 32 base32 characters (160 bits). */
export const ShareTokenParamsSchema = z.object({ shareToken: z.string().regex(/^[a-z2-7]{32}$/, "Not a share link.") });
export const ShareAssetParamsSchema = ShareTokenParamsSchema.extend({ assetId });

/** A note to the recipients in the e-mail that brings them their link: NFC, trimmed, line breaks kept, no controls or bidi overrides. */
export const ShareMessageSchema = noteText(SHARE_LIMITS.messageLength, "Write something or leave the message out.");

const recipientEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Not an e-mail address.");

export const CreateShareBodySchema = z
  .object({
    projectId: id("prj"),
    assetIds: z.array(assetId).min(1).max(SHARE_LIMITS.assets).optional(),
    collectionId: id("col").optional(),
    scope: ShareScopeSchema,
    expiresAt: z.iso.datetime({ offset: true }),
    password: z.string().min(SHARE_LIMITS.passwordMin).max(256).optional(),
    /** A random password is made and answered once. */
    generatePassword: z.boolean().optional(),
    maxDownloads: z.number().int().min(1).max(100_000).optional(),
    /** One link per recipient (each revocable and counted on its own); none: one anonymous link. */
    recipients: z.array(recipientEmail).min(1).max(SHARE_LIMITS.recipients).optional(),
    downloadOriginal: z.boolean().optional(),
    downloadProxy: z.boolean().optional(),
    comments: z.boolean().optional(),
    approval: z.boolean().optional(),
    /** The guest's identity drawn over the picture. */
    watermark: z.boolean().optional(),
    /** Guests prove their e-mail address with a one-time code (a recipient's link: the recipient's address). */
    verifyEmail: z.boolean().optional(),
    /** Where guests' uploads land (upload scopes); none: the project's top level. */
    uploadFolderId: id("fol").optional(),
    /** E-mail each recipient their own link (never the password); needs recipients. */
    notify: z.boolean().optional(),
    /** A note to the recipients in that e-mail. */
    message: ShareMessageSchema.optional(),
  })
  .strict()
  .refine((b) => (b.assetIds ? 1 : 0) + (b.collectionId ? 1 : 0) === 1, { message: "Give assetIds or collectionId (one of them).", path: ["assetIds"] })
  .refine((b) => !(b.password && b.generatePassword), { message: "Give a password or ask for one, not both.", path: ["password"] })
  .refine((b) => !b.notify || b.recipients, { message: "Only recipients can be e-mailed their links: name them.", path: ["notify"] })
  .refine((b) => b.message === undefined || b.notify, { message: "A message goes only with the e-mails (notify).", path: ["message"] });

export const UpdateShareBodySchema = z
  .object({
    paused: z.boolean().optional(),
    scope: ShareScopeSchema.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    downloadOriginal: z.boolean().optional(),
    downloadProxy: z.boolean().optional(),
    comments: z.boolean().optional(),
    approval: z.boolean().optional(),
    watermark: z.boolean().optional(),
    verifyEmail: z.boolean().optional(),
    /** null: no cap. */
    maxDownloads: z.number().int().min(1).max(100_000).nullable().optional(),
    /** null: the project's top level. */
    uploadFolderId: id("fol").nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "Nothing to change.");

export const ShareLinkSchema = z.object({
  id: z.string(),
  recipientEmail: z.string().nullable(),
  accesses: z.number().int(),
  downloads: z.number().int(),
  lastAccessAt: z.string().nullable(),
  revoked: z.boolean(),
});

export const ShareSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  collectionId: z.string().nullable(),
  assetCount: z.number().int(),
  scope: ShareScopeSchema,
  downloadOriginal: z.boolean(),
  downloadProxy: z.boolean(),
  comments: z.boolean(),
  approval: z.boolean(),
  watermark: z.boolean(),
  verifyEmail: z.boolean(),
  uploadFolderId: z.string().nullable(),
  expiresAt: z.string(),
  hasPassword: z.boolean(),
  maxDownloads: z.number().int().nullable(),
  /** Paused by the team (the state says "paused" only while the share is neither revoked nor expired). */
  paused: z.boolean(),
  state: ShareStateSchema,
  createdAt: z.string(),
  links: z.array(ShareLinkSchema),
});

/** A share in a list: with its project's and collection's names. */
export const ShareListItemSchema = ShareSchema.extend({ projectName: z.string(), collectionName: z.string().nullable() });
export type ShareListItem = z.output<typeof ShareListItemSchema>;

/** GET /shares (tenant admins: every share of the tenant) and GET /projects/{id}/shares: newest first. */
export const ListSharesQuerySchema = PageQuerySchema.extend({
  state: ShareStateSchema.optional().describe("Only shares in this state"),
  projectId: id("prj").optional().describe("Only this project's shares"),
});
export const ProjectSharesQuerySchema = PageQuerySchema.extend({ state: ShareStateSchema.optional().describe("Only shares in this state") });

export const CreatedShareSchema = z.object({
  id: z.string(),
  url: z.string(),
  /** Only when Kura made the password (generatePassword): shown once. */
  password: z.string().optional(),
  links: z.array(z.object({ recipientEmail: z.string().nullable(), url: z.string() })),
});

export const GuestSessionBodySchema = z
  .object({
    password: z.string().max(256).optional(),
    /** An anonymous link of a share that verifies addresses: where the code goes. */
    email: recipientEmail.optional(),
  })
  .strict();
export const GuestCodeBodySchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "Six digits."),
  })
  .strict();

export const GuestSessionSchema = z.object({
  guestToken: z.string(),
  expiresAt: z.string(),
  /** Set when the share verifies addresses: the code went there, and the token waits for it. */
  verification: z.object({ sentTo: z.string() }).nullable(),
});

export const APPROVAL_STATUSES = ["approved", "needs_changes"] as const;
export const ApprovalBodySchema = z.object({ status: z.enum(APPROVAL_STATUSES), note: z.string().trim().max(MARKER_LIMITS.textLength).optional() }).strict();
export const ApprovalSchema = z.object({
  assetId: z.string(),
  shareId: z.string(),
  guest: z.object({ linkId: z.string(), email: z.string().nullable(), name: z.string() }),
  status: z.enum(APPROVAL_STATUSES),
  note: z.string().nullable(),
  updatedAt: z.string(),
});

export const GuestAssetSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  status: z.string(),
  hasThumbnail: z.boolean(),
  technical: z.record(z.string(), z.unknown()),
});

// --- The tenant's share policy -------------------------------------------------

/**
 * What the tenant admin decides for every share. `locked` says which choices project users must
 * take as they are; unlocked ones are only the defaults the share form starts from. The longest
 * expiry always holds (a maximum is its own lock); a locked default expiry is the longest a share
 * may last (the share form shows it fixed).
 */
export const SharePolicySchema = z
  .object({
    defaultExpiryDays: z.number().int().min(1).max(SHARE_LIMITS.maxExpiryDays).default(14),
    maxExpiryDays: z.number().int().min(1).max(SHARE_LIMITS.maxExpiryDays).default(90),
    passwordRequired: z.boolean().default(false),
    anonymousLinks: z.boolean().default(true),
    downloads: z.boolean().default(true),
    locked: z
      .object({
        expiry: z.boolean().default(false),
        password: z.boolean().default(false),
        anonymousLinks: z.boolean().default(false),
        downloads: z.boolean().default(false),
      })
      .strict()
      .default({ expiry: false, password: false, anonymousLinks: false, downloads: false }),
  })
  .strict()
  .refine((p) => p.defaultExpiryDays <= p.maxExpiryDays, { message: "The default expiry is longer than the longest.", path: ["defaultExpiryDays"] });
export type SharePolicy = z.output<typeof SharePolicySchema>;

export const ShareDerivedParamsSchema = ShareAssetParamsSchema.extend({ name: z.enum(["poster", "filmstrip", "waveform", "preview"]) });
export const ShareMarkerParamsSchema = ShareAssetParamsSchema.extend({ markerId: id("mrk") });
