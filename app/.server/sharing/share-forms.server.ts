/**
 * The page side of the share screens (issue #14): what the forms need to start from, and the page
 * actions that read them. Every action parses the form into the API's own body (app/schemas/forms/
 * shares.ts) and calls the same domain function as the API, so a page refuses what the API refuses;
 * refusals come back on the form's fields, localised.
 */
import type { KuraContext } from "../context";
import { searchParamsToObject, toFieldErrors, type FieldError } from "../http/validation.server";
import { fail } from "../http/errors.server";
import { attempt, validationFailure } from "../ui/forms.server";
import type { FormFailure, UiText } from "~/components/form-types";
import { wallTimeInput } from "~/i18n/time-zone";
import {
  SHARE_FIELD_MESSAGES,
  ShareActionFormSchema,
  shareCreateFormSchema,
  ShareLinkRevokeFormSchema,
  ShareUpdateTargetSchema,
  shareUpdateFormSchema,
} from "~/schemas/forms/shares";
import { shareRowForm, type ShareCreated, type ShareFormSettings } from "~/components/sharing/types";
import { qrCode } from "./qr.server";
import { sharePolicyForForms } from "./share-lists.server";
import { createShare, getShare, longestExpiryDays, revokeShare, revokeShareLink, updateShare } from "./shares.server";

const DAY_MS = 86_400_000;

export async function shareFormSettings(context: KuraContext, timeZone: string): Promise<ShareFormSettings> {
  const policy = await sharePolicyForForms(context);
  const now = Date.now();
  const longestDays = longestExpiryDays(policy);
  const at = (ms: number) => wallTimeInput(new Date(ms), timeZone);
  return {
    policy,
    timeZone,
    longestDays,
    expiry: { value: at(now + Math.min(policy.defaultExpiryDays, longestDays) * DAY_MS), min: at(now + 60_000), max: at(now + longestDays * DAY_MS) },
  };
}

/** The API's field paths (recipients.3, expiresAt, …) as the form's fields, each with the text that says what it needs. */
export function onFormFields(errors: FieldError[]): FieldError[] {
  return errors.map((e) => {
    const head = e.path.split(".")[0] ?? "";
    const known = Object.hasOwn(SHARE_FIELD_MESSAGES, head) ? SHARE_FIELD_MESSAGES[head] : undefined;
    if (!known) return e;
    return e.reason ? { ...e, path: known.field } : { path: known.field, message: known.message };
  });
}

/** A failure whose fields were named by the domain (API paths) as the form's fields. */
function onFormFailure(failure: FormFailure): FormFailure {
  const fields: Record<string, UiText> = {};
  for (const [path, text] of Object.entries(failure.error.fields)) {
    const head = path.split(".")[0] ?? "";
    const field = Object.hasOwn(SHARE_FIELD_MESSAGES, head) ? SHARE_FIELD_MESSAGES[head]!.field : path;
    fields[field] ??= text;
  }
  return { ...failure, error: { ...failure.error, fields } };
}

/**
 * "Create links" on the browse page (a selection) or a collection's page (the collection, from
 * the URL: a posted selection is ignored there). Answers the links once, each with its QR code.
 */
export async function createShareFromForm(
  context: KuraContext,
  target: { projectId: string; collectionId?: string | undefined; timeZone: string },
  formData: FormData,
): Promise<ShareCreated | FormFailure> {
  const form = "share-create";
  // What the share holds comes from the page: its URL's collection, else the posted selection.
  const { assetIds, collectionId: _posted, ...fields } = searchParamsToObject(formData);
  const raw = { ...fields, projectId: target.projectId, ...(target.collectionId ? { collectionId: target.collectionId } : { assetIds }) };
  const parsed = shareCreateFormSchema(target.timeZone).safeParse(raw);
  if (!parsed.success) return validationFailure(form, onFormFields(toFieldErrors(parsed.error)), formData, ["assetIds"]);
  const result = await attempt(form, formData, () => createShare(context, parsed.data), ["assetIds"]);
  if (!result.ok) return onFormFailure(result);
  const created = result.value;
  return {
    ok: true,
    form,
    created: {
      id: created.id,
      projectId: target.projectId,
      password: created.password ?? null,
      notified: parsed.data.notify ? created.links.filter((l) => l.recipientEmail).length : 0,
      links: created.links.map((l) => ({ ...l, qr: qrCode(l.url) })),
    },
  };
}

export type ShareDone = { ok: true; form: string; notice: UiText };

/** A share of this project (another project's or tenant's id is a 404, as on the API). */
async function shareInProject(context: KuraContext, projectId: string | null, shareId: string) {
  const share = await getShare(context, shareId);
  if (projectId !== null && share.projectId !== projectId) fail("not_found", "No such share.");
  return share;
}

/**
 * The buttons of a share on the shares screens: pause, resume, change, revoke, revoke one link.
 * `projectId`: the project's screen (shares of other projects are 404); null: the admin's.
 */
export async function shareRowAction(context: KuraContext, projectId: string | null, timeZone: string, formData: FormData): Promise<ShareDone | FormFailure> {
  const intent = formData.get("intent");
  if (intent === "update") return updateShareFromForm(context, projectId, timeZone, formData);
  if (intent === "revoke-link") {
    const parsed = ShareLinkRevokeFormSchema.safeParse(searchParamsToObject(formData));
    if (!parsed.success) return validationFailure("shares", toFieldErrors(parsed.error), formData);
    const { shareId, linkId } = parsed.data;
    await shareInProject(context, projectId, shareId);
    const result = await attempt(shareRowForm(shareId), formData, () => revokeShareLink(context, shareId, linkId));
    return result.ok ? { ok: true, form: shareRowForm(shareId), notice: { key: "shares.linkRevokedNotice" } } : result;
  }
  const parsed = ShareActionFormSchema.safeParse(searchParamsToObject(formData));
  if (!parsed.success) return validationFailure("shares", toFieldErrors(parsed.error), formData);
  const { shareId } = parsed.data;
  await shareInProject(context, projectId, shareId);
  const form = shareRowForm(shareId);
  switch (parsed.data.intent) {
    case "pause":
    case "resume": {
      const paused = parsed.data.intent === "pause";
      const result = await attempt(form, formData, () => updateShare(context, shareId, { paused }));
      return result.ok ? { ok: true, form, notice: { key: paused ? "shares.paused" : "shares.resumed" } } : result;
    }
    case "revoke": {
      const result = await attempt(form, formData, () => revokeShare(context, shareId));
      return result.ok ? { ok: true, form, notice: { key: "shares.revoked" } } : result;
    }
  }
}

/** "Save" of a share's settings: only what differs from the share goes to the API (the same URLs stay). */
async function updateShareFromForm(context: KuraContext, projectId: string | null, timeZone: string, formData: FormData): Promise<ShareDone | FormFailure> {
  const target = ShareUpdateTargetSchema.safeParse(searchParamsToObject(formData));
  if (!target.success) return validationFailure("shares", toFieldErrors(target.error), formData);
  const form = shareRowForm(target.data.shareId);
  const share = await shareInProject(context, projectId, target.data.shareId);
  const parsed = shareUpdateFormSchema(timeZone).safeParse(searchParamsToObject(formData));
  if (!parsed.success) return validationFailure(form, onFormFields(toFieldErrors(parsed.error)), formData);
  const minute = (iso: string) => Math.floor(Date.parse(iso) / 60_000);
  const changes = Object.fromEntries(
    Object.entries(parsed.data).filter(([key, value]) =>
      key === "expiresAt" ? minute(String(value)) !== minute(share.expiresAt) : value !== share[key as keyof typeof share],
    ),
  ) as typeof parsed.data;
  if (Object.keys(changes).length === 0) return { ok: true, form, notice: { key: "shares.unchanged" } };
  const result = await attempt(form, formData, () => updateShare(context, share.id, changes));
  return result.ok ? { ok: true, form, notice: { key: "shares.saved" } } : onFormFailure(result);
}
