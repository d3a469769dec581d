import type { KuraConfig } from "../env/config.server";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { emailOutbox } from "../db/control-schema";
import { eq } from "drizzle-orm";
import { newId } from "../ids/ids";

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  tenantId?: string | null;
  /** Values (links, tokens) that must not stay readable in the outbox in production. */
  secrets?: string[];
};

export type MailContext = {
  env: KuraEnv;
  config: KuraConfig;
  waitUntil: (p: Promise<unknown>) => void;
  /** Injected for tests of the provider adapter (a third party); defaults to fetch. */
  fetcher?: typeof fetch;
};

/**
 * Links stay readable in the stored copy only where the outbox is the only
 * mailbox: nothing delivers mail (`MAIL_PROVIDER = "outbox"`) and this is not
 * production. Any other combination (a real provider, whatever KURA_ENV says)
 * blanks them, so an operator can never read a live setup or reset link.
 */
function outboxIsTheMailbox(config: KuraConfig): boolean {
  return config.mail.provider === "outbox" && config.environment !== "production";
}

/**
 * One door for all e-mail. Every message is recorded in the control-plane
 * outbox (GET /api/v1/operator/outbox). In development that is the only
 * destination; in production the provider adapter delivers it too, and the
 * stored copy has its secrets (setup and reset links) blanked, so the outbox
 * never lets an operator take over an account.
 */
export async function sendMail(ctx: MailContext, message: MailMessage): Promise<string> {
  const id = newId("email");
  const stored = outboxIsTheMailbox(ctx.config) ? message.text : (message.secrets ?? []).reduce((t, s) => t.split(s).join("[redacted]"), message.text);
  await controlDb(ctx.env)
    .insert(emailOutbox)
    .values({ id, to: message.to.toLowerCase(), subject: message.subject, text: stored, tenantId: message.tenantId ?? null })
    .run();
  if (ctx.config.mail.provider === "resend") {
    ctx.waitUntil(deliverViaResend(ctx, id, message));
  }
  return id;
}

/** Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email). */
export async function deliverViaResend(ctx: MailContext, id: string, message: MailMessage): Promise<boolean> {
  const key = ctx.env.MAIL_API_KEY;
  if (!key) return false;
  const response = await (ctx.fetcher ?? fetch)("https://api.resend.com/emails", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Idempotency-Key": id },
    body: JSON.stringify({ from: ctx.config.mail.from, to: [message.to], subject: message.subject, text: message.text }),
  });
  if (!response.ok) return false;
  await controlDb(ctx.env).update(emailOutbox).set({ deliveredAt: new Date().toISOString() }).where(eq(emailOutbox.id, id)).run();
  return true;
}
