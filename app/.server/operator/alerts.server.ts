import type { Logger } from "../http/logger.server";
import { sendMail, type MailContext } from "../mail/mail.server";

/**
 * An alert for the service's operators (a failed backup or verification): always an error log
 * line, and an e-mail to OPERATOR_ALERT_EMAIL when it is set. Never names customer content.
 */
export async function alertOperator(ctx: MailContext, logger: Logger, alert: { subject: string; text: string }): Promise<void> {
  logger.error("operator alert", { subject: alert.subject });
  const to = ctx.config.operatorAlertEmail;
  if (to) await sendMail(ctx, { to, subject: alert.subject, text: alert.text });
}
