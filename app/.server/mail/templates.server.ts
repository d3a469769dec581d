import { fail } from "../http/errors.server";
import type { MailMessage } from "./mail.server";
import type { Locale } from "~/i18n/locale";
import { translate } from "~/i18n/messages";
import { formatBytes } from "~/components/assets/format";
import { intlLocale } from "~/i18n/locale";
import { formatDateTimeInZone } from "~/i18n/time-zone";

/**
 * A mail speaks the recipient's language when Kura knows it; otherwise (an
 * invitation: nobody has chosen yet) it has a whole Japanese block and then
 * a whole English one, never two languages inside one sentence. The texts
 * are messages (app/i18n/messages/mail.ts).
 */
function languagesFor(locale: Locale | null): Locale[] {
  return locale ? [locale] : ["ja", "en"];
}

type Block = (locale: Locale) => string;

function compose(locale: Locale | null, subject: Block, body: Block) {
  const languages = languagesFor(locale);
  return {
    subject: `[Kura] ${languages.map(subject).join(" / ")}`,
    text: languages.map(body).join("\n---\n\n"),
  };
}

export function setupMail(p: { to: string; tenantName: string; link: string; tenantId: string; firstAdmin: boolean; locale: Locale | null }): MailMessage {
  const tenant = { tenant: p.tenantName };
  const mail = compose(
    p.locale,
    (l) => translate(l, p.firstAdmin ? "mail.setup.subjectAdmin" : "mail.setup.subject", tenant),
    (l) => `${translate(l, p.firstAdmin ? "mail.setup.createdAdmin" : "mail.setup.created", tenant)}\n${translate(l, "mail.setup.action")}\n\n${p.link}\n`,
  );
  return { to: p.to, tenantId: p.tenantId, ...mail, secrets: [p.link] };
}

export function resetMail(p: { to: string; tenantName: string; link: string; tenantId: string; locale: Locale | null }): MailMessage {
  const tenant = { tenant: p.tenantName };
  const mail = compose(
    p.locale,
    (l) => translate(l, "mail.reset.subject"),
    (l) => `${translate(l, "mail.reset.requested", tenant)}\n${translate(l, "mail.reset.action")}\n\n${p.link}\n\n${translate(l, "mail.reset.ignore")}\n`,
  );
  return { to: p.to, tenantId: p.tenantId, ...mail, secrets: [p.link] };
}

/** The one-time code that proves a share guest's address (issue #14): only the code, never the link. */
export function guestCodeMail(p: { to: string; tenantName: string; code: string; tenantId: string; locale: Locale | null }): MailMessage {
  const tenant = { tenant: p.tenantName };
  const mail = compose(
    p.locale,
    (l) => translate(l, "mail.guestCode.subject", tenant),
    (l) => `${translate(l, "mail.guestCode.body", tenant)}\n\n${p.code}\n\n${translate(l, "mail.guestCode.ignore")}\n`,
  );
  return { to: p.to, tenantId: p.tenantId, ...mail, secrets: [p.code] };
}

/**
 * A share's link to its recipient (issue #14). Recipients are outside the tenant, so Kura does not
 * know their language: a Japanese block, then an English one. The link is theirs alone; the
 * password never travels with it (the sender tells it another way).
 */
export function shareLinkMail(p: {
  to: string;
  tenantName: string;
  tenantId: string;
  sender: string;
  /** What is shared: a number of files, or a collection by name. */
  holds: { files: number } | { collection: string };
  link: string;
  expiresAt: string;
  /** The sender's time zone, for the expiry. */
  timeZone: string;
  password: boolean;
  verifyEmail: boolean;
  message?: string | undefined;
}): MailMessage {
  const vars = (l: Locale) => {
    const { text, zone } = formatDateTimeInZone(new Date(p.expiresAt), intlLocale(l), p.timeZone);
    return {
      sender: p.sender,
      tenant: p.tenantName,
      expires: `${text} ${zone}`,
      ...("files" in p.holds ? { count: p.holds.files } : { name: p.holds.collection }),
    };
  };
  const mail = compose(
    null,
    (l) => translate(l, "mail.shareLink.subject", vars(l)),
    (l) =>
      [
        translate(l, "files" in p.holds ? "mail.shareLink.sharedFiles" : "mail.shareLink.sharedCollection", vars(l)),
        ...(p.message ? ["", translate(l, "mail.shareLink.message", vars(l)), p.message.replace(/^/gm, "> ")] : []),
        "",
        translate(l, "mail.shareLink.action"),
        "",
        p.link,
        "",
        translate(l, "mail.shareLink.expires", vars(l)),
        ...(p.password ? [translate(l, "mail.shareLink.password", vars(l))] : []),
        ...(p.verifyEmail ? [translate(l, "mail.shareLink.verify")] : []),
        translate(l, "mail.shareLink.personal"),
        "",
      ].join("\n"),
  );
  return { to: p.to, tenantId: p.tenantId, ...mail, secrets: [p.link] };
}

/** Quota warning (80 or 100 per cent) to a tenant admin, in their language. */
export function quotaWarningMail(p: {
  to: string;
  tenantName: string;
  tenantId: string;
  level: 80 | 100;
  usedBytes: number;
  quotaBytes: number;
  locale: Locale | null;
}): MailMessage {
  const percent = Math.floor((p.usedBytes * 100) / p.quotaBytes);
  const vars = (l: Locale) => ({ tenant: p.tenantName, percent: String(percent), used: formatBytes(p.usedBytes, l), quota: formatBytes(p.quotaBytes, l) });
  const mail = compose(
    p.locale,
    (l) => translate(l, p.level === 100 ? "mail.quota.subject100" : "mail.quota.subject80", vars(l)),
    (l) => `${translate(l, "mail.quota.body", vars(l))}\n${translate(l, p.level === 100 ? "mail.quota.action100" : "mail.quota.action80")}\n`,
  );
  return { to: p.to, tenantId: p.tenantId, ...mail };
}

/** The origin e-mailed links point to, or 503: without PUBLIC_BASE_URL no link can be trusted. */
export function requirePublicOrigin(base: string | null): string {
  if (!base) fail("service_unavailable", "E-mail links are unavailable: the service's public address (PUBLIC_BASE_URL) is not configured.");
  return base;
}

export function setupLinkFor(base: string | null, token: string): string {
  return `${requirePublicOrigin(base)}/setup?token=${encodeURIComponent(token)}`;
}

export function resetLinkFor(base: string | null, token: string): string {
  return `${requirePublicOrigin(base)}/reset-password?token=${encodeURIComponent(token)}`;
}
