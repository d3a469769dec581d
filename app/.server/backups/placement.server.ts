import { eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { shardDatabase } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";

/**
 * The shard of a tenant named by the control plane, whatever the tenant's status: for the
 * operator's jobs (backup, restore, purge), which must reach a terminated tenant too. Never
 * called with an id from a tenant user's request; every statement it serves names the tenant.
 */
export async function tenantPlacement(env: KuraEnv, tenantId: string): Promise<{ shardKey: string; d1: D1Database }> {
  const row = await controlDb(env).select({ shardKey: tenants.shardKey }).from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!row) throw new Error(`no tenant ${tenantId}`);
  return { shardKey: row.shardKey, d1: await shardDatabase(env, row.shardKey) };
}

/** The shard holding a backup run's staging copy: the one it was staged in, not wherever the tenant may be by now. */
export async function stagingShard(env: KuraEnv, run: { tenantId: string; shardKey?: string | undefined }): Promise<D1Database> {
  return run.shardKey ? shardDatabase(env, run.shardKey) : (await tenantPlacement(env, run.tenantId)).d1;
}
