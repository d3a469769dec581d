import { fail } from "../http/errors.server";
import type { MailMessage } from "./mail.server";

/**
 * Mails go out in Japanese and English together: the recipient of an invite
 * has not chosen a language yet.
 */
export function setupMail(p: { to: string; tenantName: string; link: string; tenantId: string; firstAdmin: boolean }): MailMessage {
  const what = p.firstAdmin ? "管理者アカウント / administrator account" : "アカウント / account";
  return {
    to: p.to,
    tenantId: p.tenantId,
    subject: `[Kura] ${p.tenantName}: ${what} の設定 / Set up your ${p.firstAdmin ? "administrator " : ""}account`,
    text:
      `${p.tenantName} の Kura ${what}が作成されました。\n` +
      `次のリンクからパスワードを設定してください（7日間有効・1回のみ使用可）:\n\n${p.link}\n\n` +
      `---\n` +
      `A Kura account has been created for you at ${p.tenantName}.\n` +
      `Set your password with this link (valid for 7 days, single use):\n\n${p.link}\n`,
    secrets: [p.link],
  };
}

export function resetMail(p: { to: string; tenantName: string; link: string; tenantId: string }): MailMessage {
  return {
    to: p.to,
    tenantId: p.tenantId,
    subject: `[Kura] パスワードの再設定 / Reset your password`,
    text:
      `${p.tenantName} の Kura アカウントのパスワード再設定が要求されました。\n` +
      `次のリンクから新しいパスワードを設定してください（1時間有効・1回のみ使用可）:\n\n${p.link}\n\n` +
      `心当たりがない場合は、このメールを無視してください。\n` +
      `---\n` +
      `Someone asked to reset the password of your Kura account at ${p.tenantName}.\n` +
      `Set a new password with this link (valid for 1 hour, single use):\n\n${p.link}\n\n` +
      `If this was not you, ignore this e-mail.\n`,
    secrets: [p.link],
  };
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
