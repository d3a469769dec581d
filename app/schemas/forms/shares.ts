/**
 * The share screens' forms (issue #14). Each is only a shape around the API's own schema: the
 * fields as a browser posts them (strings, checkboxes, a local date and time) are turned into the
 * API's body and piped into CreateShareBodySchema, UpdateShareBodySchema or SharePolicySchema, so
 * a page form refuses exactly what the API refuses. What the shape adds: a missing checkbox is
 * false, an empty number is "not given", the expiry is read in the viewer's time zone, and
 * recipients are typed one per line (or separated by commas).
 */
import { z } from "zod";
import { wallTimeInZone } from "~/i18n/time-zone";
import type { MessageKey } from "~/i18n/messages";
import { CreateShareBodySchema, ShareLinkParamsSchema, ShareParamsSchema, SharePolicySchema, UpdateShareBodySchema } from "../review";
import { checkbox } from "./fields";

/** A local date and time as the instant it names in `timeZone` (ISO, UTC); what is not one stays as typed, for the API's schema to refuse. */
const localTime = (timeZone: string) =>
  z
    .string()
    .max(40)
    .default("")
    .transform((v) => wallTimeInZone(v, timeZone)?.toISOString() ?? v);

/** An optional whole number as typed: empty is "not given"; anything else is left to the API's schema. */
const typedNumber = z
  .string()
  .max(20)
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v));

const optionalText = (max: number) =>
  z
    .string()
    .max(max * 4)
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

/** Recipients as typed: one a line, or separated by commas, semicolons or spaces. */
const recipientList = z
  .string()
  .max(20_000)
  .default("")
  .transform((v) => v.split(/[\s,;]+/).filter(Boolean));

/**
 * A form's fields re-shaped as the API's body. What the browser sent is passed on as it is, even
 * where it is not what the body needs (a word in a number field): the API's schema, next in the
 * pipe, is the one that refuses it, so the type says what the body should be, not what it is yet.
 */
const asBody = <S extends z.ZodType>(_schema: S, body: unknown) => body as z.input<S>;

const SWITCHES = { downloadOriginal: checkbox, downloadProxy: checkbox, comments: checkbox, approval: checkbox, watermark: checkbox, verifyEmail: checkbox };

/**
 * The create form (browse selection or a collection). `projectId` and the collection come from
 * the page's URL, the selection from the form; the result is the API's body.
 */
export const shareCreateFormSchema = (timeZone: string) =>
  z
    .object({
      intent: z.literal("share-create"),
      projectId: z.string(),
      assetIds: z
        .string()
        .max(40_000)
        .optional()
        .transform((v) => (v === undefined ? undefined : v.split(",").map((s) => s.trim()))),
      collectionId: z.string().optional(),
      linkKind: z.enum(["recipients", "anonymous"]).default("recipients"),
      recipients: recipientList,
      scope: z.string().default(""),
      ...SWITCHES,
      expiresAt: localTime(timeZone),
      protection: z.enum(["none", "own", "generate"]).default("none"),
      password: z.string().max(1024).optional(),
      maxDownloads: typedNumber,
      uploadFolderId: optionalText(64),
      notify: checkbox,
      message: optionalText(1000),
    })
    .transform((f) =>
      asBody(CreateShareBodySchema, {
        projectId: f.projectId,
        ...(f.collectionId ? { collectionId: f.collectionId } : { assetIds: f.assetIds }),
        scope: f.scope,
        expiresAt: f.expiresAt,
        ...(f.linkKind === "recipients" ? { recipients: f.recipients } : {}),
        ...(f.protection === "own" ? { password: f.password ?? "" } : f.protection === "generate" ? { generatePassword: true } : {}),
        ...(f.maxDownloads !== undefined ? { maxDownloads: f.maxDownloads } : {}),
        ...(f.uploadFolderId && f.scope.includes("upload") ? { uploadFolderId: f.uploadFolderId } : {}),
        downloadOriginal: f.downloadOriginal,
        downloadProxy: f.downloadProxy,
        comments: f.comments,
        approval: f.approval,
        watermark: f.watermark,
        verifyEmail: f.verifyEmail,
        ...(f.notify && f.linkKind === "recipients" ? { notify: true, ...(f.message !== undefined ? { message: f.message } : {}) } : {}),
      }),
    )
    .pipe(CreateShareBodySchema);

/**
 * The change form of the shares screen: every setting as it should be (the page then sends the
 * API only what differs). Empty cap: none; empty upload folder: the project's top level.
 */
export const shareUpdateFormSchema = (timeZone: string) =>
  z
    .object({
      intent: z.literal("update"),
      shareId: ShareParamsSchema.shape.shareId,
      scope: z.string().default(""),
      ...SWITCHES,
      expiresAt: localTime(timeZone),
      maxDownloads: typedNumber,
      uploadFolderId: optionalText(64),
    })
    .transform(({ intent: _intent, shareId: _shareId, maxDownloads, uploadFolderId, ...f }) =>
      asBody(UpdateShareBodySchema, {
        ...f,
        maxDownloads: maxDownloads ?? null,
        uploadFolderId: uploadFolderId && f.scope.includes("upload") ? uploadFolderId : null,
      }),
    )
    .pipe(UpdateShareBodySchema);

export const ShareUpdateTargetSchema = z.object({ shareId: ShareParamsSchema.shape.shareId });
export const ShareActionFormSchema = z.object({ intent: z.enum(["pause", "resume", "revoke"]), shareId: ShareParamsSchema.shape.shareId });
export const ShareLinkRevokeFormSchema = z.object({
  intent: z.literal("revoke-link"),
  shareId: ShareLinkParamsSchema.shape.shareId,
  linkId: ShareLinkParamsSchema.shape.linkId,
});

/** The tenant admin's share policy form: the values and a lock beside each. */
export const SharePolicyFormSchema = z
  .object({
    intent: z.literal("policy"),
    defaultExpiryDays: typedNumber,
    maxExpiryDays: typedNumber,
    passwordRequired: checkbox,
    anonymousLinks: checkbox,
    downloads: checkbox,
    lockExpiry: checkbox,
    lockPassword: checkbox,
    lockAnonymousLinks: checkbox,
    lockDownloads: checkbox,
  })
  .transform((f) =>
    asBody(SharePolicySchema, {
      defaultExpiryDays: f.defaultExpiryDays ?? "",
      maxExpiryDays: f.maxExpiryDays ?? "",
      passwordRequired: f.passwordRequired,
      anonymousLinks: f.anonymousLinks,
      downloads: f.downloads,
      locked: { expiry: f.lockExpiry, password: f.lockPassword, anonymousLinks: f.lockAnonymousLinks, downloads: f.lockDownloads },
    }),
  )
  .pipe(SharePolicySchema);

/**
 * The form field each refused path of the API's body belongs to, with the text that says what
 * the field needs (a reason, when the refusal carries one, is said instead: too long, …).
 */
export const SHARE_FIELD_MESSAGES: Record<string, { field: string; message: MessageKey }> = {
  recipients: { field: "recipients", message: "share.v.recipients" },
  expiresAt: { field: "expiresAt", message: "share.v.expiry" },
  password: { field: "password", message: "share.v.password" },
  maxDownloads: { field: "maxDownloads", message: "share.v.maxDownloads" },
  scope: { field: "scope", message: "share.v.scope" },
  message: { field: "message", message: "share.v.message" },
  notify: { field: "notify", message: "share.v.notify" },
  uploadFolderId: { field: "uploadFolderId", message: "share.v.folder" },
  assetIds: { field: "assetIds", message: "v.selection" },
  collectionId: { field: "assetIds", message: "v.selection" },
  defaultExpiryDays: { field: "defaultExpiryDays", message: "share.v.days" },
  maxExpiryDays: { field: "maxExpiryDays", message: "share.v.days" },
};
