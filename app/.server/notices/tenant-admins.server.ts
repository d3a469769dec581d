import { and, eq } from "drizzle-orm";
import { users } from "../db/tenant-schema";
import { systemTenantData } from "../db/tenant-data.server";
import { sendMail, type MailContext, type MailMessage } from "../mail/mail.server";
import type { Locale } from "~/i18n/locale";

export type TenantAdmin = { email: string; locale: Locale | null };

/**
 * E-mails every active tenant admin of an active tenant (announcements, quota warnings), each mail
 * made for its recipient (their language). Returns how many were sent.
 */
export async function mailTenantAdmins(ctx: MailContext, tenantId: string, make: (admin: TenantAdmin, tenantName: string) => MailMessage): Promise<number> {
  const data = await systemTenantData(ctx.env, tenantId);
  if (!data) return 0;
  const admins = await data.db
    .select({ email: users.email, locale: users.locale })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.tenantRole, "tenant_admin"), eq(users.status, "active")))
    .all();
  for (const admin of admins) await sendMail(ctx, make(admin, data.tenant.name));
  return admins.length;
}
