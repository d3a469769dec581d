import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData } from "~/.server/http/validation.server";
import { onFormFields, shareRowAction } from "~/.server/sharing/share-forms.server";
import { updateTenantSettings } from "~/.server/tenants/settings.server";
import { attempt, intentOf, validationFailure } from "~/.server/ui/forms.server";
import { SharePolicyFormSchema } from "~/schemas/forms/shares";
import { intents, type Intent } from "./intents";

const KNOWN: Record<Intent, true> = Object.fromEntries(intents.map((i) => [i, true])) as Record<Intent, true>;

/**
 * The admin's shares screen: the share policy (the same domain function as PATCH /tenant/settings,
 * through SharePolicySchema), and any share's buttons (tenant admins hold share.create everywhere).
 */
export async function adminSharesAction(context: KuraContext, formData: FormData, viewer: { timeZone: string }) {
  const known = intentOf(formData, KNOWN);
  if (!known) fail("bad_request", "Unknown action.");
  if (known.intent !== "policy") return shareRowAction(context, null, viewer.timeZone, formData);
  const parsed = parseFormData(formData, SharePolicyFormSchema);
  if (!parsed.ok) return validationFailure("policy", onFormFields(parsed.errors), formData);
  const result = await attempt("policy", formData, () => updateTenantSettings(context, { sharePolicy: parsed.data }));
  return result.ok ? { ok: true as const, form: "policy", notice: { key: "adminShares.saved" as const } } : result;
}
