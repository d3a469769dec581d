import { and, eq, gt, sql } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { quotaWarnings } from "../db/control-schema";
import type { Logger } from "../http/logger.server";
import type { MailContext } from "../mail/mail.server";
import { quotaWarningMail } from "../mail/templates.server";
import { mailTenantAdmins } from "../notices/tenant-admins.server";

export type QuotaLevel = 0 | 80 | 100;

/** Used share of the quota in per cent, one decimal, rounded down (0 without a quota). */
export function usagePercent(usedBytes: number, quotaBytes: number): number {
  return quotaBytes > 0 ? Math.floor((usedBytes * 1000) / quotaBytes) / 10 : 0;
}

/** The warning level a usage has reached: 100 at or over the quota, 80 from 80 per cent. */
export function quotaLevel(usedBytes: number, quotaBytes: number): QuotaLevel {
  if (quotaBytes <= 0) return 0;
  if (usedBytes >= quotaBytes) return 100;
  return usedBytes * 100 >= quotaBytes * 80 ? 80 : 0;
}

/**
 * E-mails the tenant's admins when its usage has crossed 80 % or 100 % of its quota since they were
 * last told, once per crossing: the level is claimed by one conditional write (a burst of uploads
 * sends one mail per admin), and falling back under 80 % re-arms the warnings. Returns the level
 * e-mailed, or null.
 */
export async function warnOnQuota(
  ctx: MailContext & { logger: Logger },
  tenantId: string,
  usedBytes: number,
  quotaBytes: number,
  at = new Date(),
): Promise<QuotaLevel | null> {
  const db = controlDb(ctx.env);
  const level = quotaLevel(usedBytes, quotaBytes);
  if (level === 0) {
    await db
      .update(quotaWarnings)
      .set({ level: 0, notifiedAt: at.toISOString() })
      .where(and(eq(quotaWarnings.tenantId, tenantId), gt(quotaWarnings.level, 0)))
      .run();
    return null;
  }
  const claim = await db
    .insert(quotaWarnings)
    .values({ tenantId, level, notifiedAt: at.toISOString() })
    .onConflictDoUpdate({
      target: quotaWarnings.tenantId,
      set: { level: sql`excluded.level`, notifiedAt: sql`excluded.notified_at` },
      setWhere: sql`${quotaWarnings.level} < excluded.level`,
    })
    .run();
  if ((claim.meta.changes ?? 0) === 0) return null;
  const sent = await mailTenantAdmins(ctx, tenantId, (admin, tenantName) =>
    quotaWarningMail({ to: admin.email, locale: admin.locale, tenantName, tenantId, level, usedBytes, quotaBytes }),
  );
  ctx.logger.info("quota warning", { tenantId, level, admins: sent });
  return level;
}
