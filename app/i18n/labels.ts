import type { Locale } from "./locale";
import { translate } from "./messages";
import { isKnownAuditAction } from "~/policy/audit-actions";
import type { Capability } from "~/policy/capabilities";

/** What a capability lets a member do, in the viewer's language. */
export function capabilityLabel(capability: Capability, locale: Locale): string {
  return translate(locale, `capability.${capability}`);
}

/** An audit action's readable name; an action Kura does not know is shown by its key. */
export function auditActionLabel(action: string, locale: Locale): string {
  return isKnownAuditAction(action) ? translate(locale, `auditAction.${action}`) : action;
}
