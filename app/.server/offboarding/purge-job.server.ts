import { and, eq, lte } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { tenantJobsOf } from "../backups/backup-job.server";
import { getTenant } from "../tenants/tenants.server";

/** The purge sweep's Cron Trigger (wrangler.toml), shared with the 15-minute maintenance. */
export const PURGE_SWEEP_CRON = "*/15 * * * *";

/** Terminated tenants whose grace period has passed at `at`. */
async function duePurges(env: KuraEnv, at: Date): Promise<string[]> {
  const rows = await controlDb(env)
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.status, "terminated"), lte(tenants.purgeAfter, at.toISOString())))
    .all();
  return rows.map((r) => r.id);
}

/** The cron's part: starts (or resumes) every due purge; each tenant's object goes on by its own alarms. */
export async function startDuePurges(env: KuraEnv, at: Date, logger: Logger): Promise<number> {
  const ids = await duePurges(env, at);
  for (const id of ids) {
    const started = await tenantJobsOf(env, id).startPurge(id, at.toISOString());
    if (!started) logger.info("purge waits for the tenant's running job", { tenantId: id });
  }
  if (ids.length > 0) logger.info("purges started", { tenants: ids.length });
  return ids.length;
}

/**
 * `POST /operator/jobs/purge`: the same purges as the cron, each driven here to its end one step
 * (one invocation of the tenant's object) at a time. A tenant whose purge could not finish now (a
 * step failed, or a backup of it is running) is in `pending`; its object retries by itself.
 */
export async function runPurgesNow(env: KuraEnv, at: Date): Promise<{ purged: string[]; pending: string[] }> {
  const purged: string[] = [];
  const pending: string[] = [];
  for (const id of await duePurges(env, at)) {
    const jobs = tenantJobsOf(env, id);
    let progress = await jobs.startPurge(id, at.toISOString());
    while (progress && !progress.done && !progress.error) progress = await jobs.step();
    // The record says whether it is done: the object's own alarm may have taken the last step.
    ((await getTenant(env, id))?.status === "purged" ? purged : pending).push(id);
  }
  return { purged, pending };
}
