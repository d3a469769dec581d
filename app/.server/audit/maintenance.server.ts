import { eq } from "drizzle-orm";
import type { KuraConfig } from "../env/config.server";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { systemTenantData } from "../db/tenant-data.server";
import { auditLogOf, flushAudit } from "./record.server";

/**
 * The scheduled side of the audit log, for every active tenant:
 * - moves events a failed flush left in the outbox into the log, so nothing
 *   waits longer than one cron interval even if the tenant stays idle;
 * - applies retention: whole days older than AUDIT_RETENTION_DAYS go, and
 *   the chain stays verifiable from its anchor.
 */
export async function runAuditMaintenance(
  env: KuraEnv,
  config: KuraConfig,
  logger: Logger,
  now = new Date(),
): Promise<{ tenants: number; flushed: number; failed: string[]; deletedEvents: number }> {
  const active = await controlDb(env).select({ id: tenants.id }).from(tenants).where(eq(tenants.status, "active")).all();
  const cutoff = new Date(now.getTime() - config.auditRetentionDays * 86_400_000).toISOString().slice(0, 10);
  let flushed = 0;
  let deletedEvents = 0;
  const failed: string[] = [];
  for (const { id } of active) {
    const data = await systemTenantData(env, id);
    if (!data) continue;
    if (await flushAudit({ env, logger }, data)) flushed += 1;
    else failed.push(id);
    try {
      deletedEvents += (await auditLogOf(env, id).deleteDaysBefore(cutoff)).deleted;
    } catch (error) {
      logger.error("audit retention failed", { tenantId: id, error: String(error) });
      failed.push(id);
    }
  }
  logger.info("audit maintenance", { tenants: active.length, flushed, failed: failed.length, deletedEvents, cutoff });
  return { tenants: active.length, flushed, failed, deletedEvents };
}
