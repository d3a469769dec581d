import { eq } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { tenantSettings } from "../db/tenant-schema";
import { shardDatabase, tenantDbFor } from "../db/tenant-data.server";

/**
 * A tenant's contract state lives in the control plane (the record) and in
 * a mirror on the tenant's shard, which every request's credential check
 * reads in the same statement as the credential (ADR 0015).
 */
export type TenantStatus = (typeof tenants.$inferSelect)["status"];

/**
 * Changes a tenant's state in both places. Leaving "active" writes the
 * mirror first, so it takes effect on the very next request, and a failure
 * between the two writes leaves the tenant locked, never open. Returning to
 * "active" writes the record first for the same reason. Returns false for an
 * unknown tenant.
 */
export async function setTenantStatus(env: KuraEnv, tenantId: string, status: TenantStatus, at = new Date()): Promise<boolean> {
  const tenant = await controlDb(env).select({ shardKey: tenants.shardKey }).from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!tenant) return false;
  const shard = tenantDbFor(await shardDatabase(env, tenant.shardKey));
  const mirror = () => shard.update(tenantSettings).set({ status, updatedAt: at.toISOString() }).where(eq(tenantSettings.tenantId, tenantId)).run();
  const record = () => controlDb(env).update(tenants).set({ status }).where(eq(tenants.id, tenantId)).run();
  if (status === "active") {
    await record();
    await mirror();
  } else {
    await mirror();
    await record();
  }
  return true;
}

/**
 * Scheduled: makes every mirror say what the record says, in case the two
 * writes of setTenantStatus were interrupted or the record was changed by
 * hand (tenants being moved are left alone). Returns the tenants corrected (each is logged: drift means something
 * went wrong).
 */
export async function reconcileTenantStatus(env: KuraEnv, logger: Logger): Promise<string[]> {
  const records = await controlDb(env)
    .select({ id: tenants.id, status: tenants.status, shardKey: tenants.shardKey, movingTo: tenants.movingTo })
    .from(tenants)
    .all();
  const byShard = new Map<string, Map<string, TenantStatus>>();
  for (const r of records) {
    // A move's mirror says "moving" on purpose until its switch (ADR 0028).
    if (r.movingTo) continue;
    if (!byShard.has(r.shardKey)) byShard.set(r.shardKey, new Map());
    byShard.get(r.shardKey)!.set(r.id, r.status);
  }
  const corrected: string[] = [];
  for (const [shardKey, wanted] of byShard) {
    const shard = tenantDbFor(await shardDatabase(env, shardKey));
    const mirrors = await shard.select({ tenantId: tenantSettings.tenantId, status: tenantSettings.status }).from(tenantSettings).all();
    for (const m of mirrors) {
      const status = wanted.get(m.tenantId);
      if (!status || status === m.status) continue;
      await shard.update(tenantSettings).set({ status }).where(eq(tenantSettings.tenantId, m.tenantId)).run();
      logger.warn("tenant_status_mirror_corrected", { tenantId: m.tenantId, from: m.status, to: status });
      corrected.push(m.tenantId);
    }
  }
  return corrected;
}
