import { and, eq, isNull } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { systemTenantData } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";
import { readConfig } from "../env/config.server";
import type { Logger } from "../http/logger.server";
import { recordAudit, flushAudit } from "../audit/record.server";
import { setTenantStatus } from "../tenants/status.server";

/** A claim older than this whose tenant is still active was left by a call that died. */
const UNFINISHED_CLAIM_MS = 60_000;

export type Termination = { status: "terminated"; terminatedAt: string; purgeAfter: string };

/**
 * Ends a tenant's contract (ADR 0026): from the status mirror's write on, every session, API token
 * and share link of the tenant is refused (the credential check reads the mirror). The purge may
 * start once `purgeAfter` (termination + the configured grace) has passed. A second call answers
 * the first termination; null for an unknown tenant, "purged" for one already purged.
 */
export async function terminateTenant(env: KuraEnv, logger: Logger, tenantId: string, at = new Date()): Promise<Termination | "purged" | null> {
  const db = controlDb(env);
  const terminatedAt = at.toISOString();
  const purgeAfter = new Date(at.getTime() + readConfig(env).purgeGraceDays * 86_400_000).toISOString();
  // The claim: one conditional write, so of a burst of terminations exactly one goes on.
  const claim = await db
    .update(tenants)
    .set({ terminatedAt, purgeAfter })
    .where(and(eq(tenants.id, tenantId), eq(tenants.status, "active"), isNull(tenants.terminatedAt)))
    .run();
  const row = await db
    .select({ status: tenants.status, terminatedAt: tenants.terminatedAt, purgeAfter: tenants.purgeAfter })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  if (!row) return null;
  if (row.status === "purged") return "purged";
  if (!row.terminatedAt || !row.purgeAfter) throw new Error(`tenant ${tenantId} is ${row.status} without a termination time`);
  const first: Termination = { status: "terminated", terminatedAt: row.terminatedAt, purgeAfter: row.purgeAfter };
  if ((claim.meta.changes ?? 0) === 0) {
    // Another call claimed it. If that call died before locking the tenant, finish its work.
    if (row.status === "active" && at.getTime() - Date.parse(row.terminatedAt) > UNFINISHED_CLAIM_MS) await setTenantStatus(env, tenantId, "terminated", at);
    return first;
  }
  // Recorded while the tenant is still active (a terminated tenant's data is not opened for writing),
  // and flushed now: the purge counts the log's events before it deletes them.
  const data = await systemTenantData(env, tenantId);
  if (data) {
    await recordAudit({ env, logger, principal: { type: "operator" }, clientIp: null, userAgent: null }, data, {
      action: "operator.tenant_terminated",
      actor: { type: "operator", id: null },
      target: { type: "tenant", id: tenantId },
      details: { purgeAfter },
    });
    await flushAudit({ env, logger }, data);
  }
  await setTenantStatus(env, tenantId, "terminated", at);
  logger.info("tenant terminated", { tenantId, purgeAfter });
  return first;
}
