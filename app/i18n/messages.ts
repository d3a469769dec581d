import type { Locale } from "./locale";
import { accountEn, accountJa } from "./messages/account";
import { adminEn, adminJa } from "./messages/admin";
import { auditActionsEn, auditActionsJa } from "./messages/audit-actions";
import { auditEn, auditJa } from "./messages/audit";
import { authEn, authJa } from "./messages/auth";
import { capabilitiesEn, capabilitiesJa } from "./messages/capabilities";
import { commonEn, commonJa } from "./messages/common";
import { errorsEn, errorsJa } from "./messages/errors";
import { mailEn, mailJa } from "./messages/mail";
import { mediaEn, mediaJa } from "./messages/media";
import { reviewEn, reviewJa } from "./messages/review";
import { guestEn, guestJa } from "./messages/guest";
import { sharesEn, sharesJa } from "./messages/shares";
import { operatorEn, operatorJa } from "./messages/operator";
import { projectsEn, projectsJa } from "./messages/projects";
import { statusEn, statusJa } from "./messages/status";
import { timeEn, timeJa } from "./messages/time";
import { metadataCsvEn, metadataCsvJa } from "./messages/metadata-csv";
import { uploadEn, uploadJa } from "./messages/upload";
import { assetsEn, assetsJa } from "./messages.assets";

/**
 * Every area's messages, one module per area (app/i18n/messages/*.ts, and the
 * asset screens' messages.assets.ts). Each module types its Japanese table as
 * Record<keys of its English table, string>, so a key missing from or added to
 * one language fails the type check there; test/integration/platform/i18n-messages.test.ts
 * also proves no key is defined by two areas (a spread would hide it).
 */
export const MESSAGE_AREAS = {
  common: { en: commonEn, ja: commonJa },
  errors: { en: errorsEn, ja: errorsJa },
  status: { en: statusEn, ja: statusJa },
  upload: { en: uploadEn, ja: uploadJa },
  auth: { en: authEn, ja: authJa },
  account: { en: accountEn, ja: accountJa },
  admin: { en: adminEn, ja: adminJa },
  capabilities: { en: capabilitiesEn, ja: capabilitiesJa },
  projects: { en: projectsEn, ja: projectsJa },
  audit: { en: auditEn, ja: auditJa },
  auditActions: { en: auditActionsEn, ja: auditActionsJa },
  mail: { en: mailEn, ja: mailJa },
  media: { en: mediaEn, ja: mediaJa },
  review: { en: reviewEn, ja: reviewJa },
  guest: { en: guestEn, ja: guestJa },
  shares: { en: sharesEn, ja: sharesJa },
  operator: { en: operatorEn, ja: operatorJa },
  time: { en: timeEn, ja: timeJa },
  metadataCsv: { en: metadataCsvEn, ja: metadataCsvJa },
  assets: { en: assetsEn, ja: assetsJa },
} as const;

const en = {
  ...commonEn,
  ...errorsEn,
  ...statusEn,
  ...uploadEn,
  ...authEn,
  ...accountEn,
  ...adminEn,
  ...capabilitiesEn,
  ...projectsEn,
  ...auditEn,
  ...auditActionsEn,
  ...mailEn,
  ...mediaEn,
  ...reviewEn,
  ...guestEn,
  ...sharesEn,
  ...operatorEn,
  ...timeEn,
  ...metadataCsvEn,
  ...assetsEn,
} as const;

export type MessageKey = keyof typeof en;

const ja: Record<MessageKey, string> = {
  ...commonJa,
  ...errorsJa,
  ...statusJa,
  ...uploadJa,
  ...authJa,
  ...accountJa,
  ...adminJa,
  ...capabilitiesJa,
  ...projectsJa,
  ...auditJa,
  ...auditActionsJa,
  ...mailJa,
  ...mediaJa,
  ...reviewJa,
  ...guestJa,
  ...sharesJa,
  ...operatorJa,
  ...timeJa,
  ...metadataCsvJa,
  ...assetsJa,
};

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, ja };

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(en, value);
}

/** `{name}` placeholders are filled from params; unknown ones stay as they are. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = MESSAGES[locale][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
