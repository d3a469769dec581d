import { eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { systemTenantData } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { recordAudit } from "../audit/record.server";
import { runRecord } from "./generations.server";

/** The daily backup's Cron Trigger (wrangler.toml): 18:00 UTC is 03:00 in Tokyo. */
export const DAILY_BACKUP_CRON = "0 18 * * *";

export function tenantJobsOf(env: KuraEnv, tenantId: string) {
  return env.TENANT_JOBS.get(env.TENANT_JOBS.idFromName(tenantId));
}

async function activeTenantIds(env: KuraEnv): Promise<string[]> {
  const rows = await controlDb(env).select({ id: tenants.id }).from(tenants).where(eq(tenants.status, "active")).all();
  return rows.map((r) => r.id);
}

/** The cron's part: starts every active tenant's run; each object goes on by its own alarms. */
export async function startDailyBackups(env: KuraEnv, at: Date, logger: Logger): Promise<number> {
  const ids = await activeTenantIds(env);
  for (const id of ids) await tenantJobsOf(env, id).startBackup(id, at.toISOString());
  logger.info("daily backups started", { tenants: ids.length });
  return ids.length;
}

export type BackupResult = { tenantId: string; generation: string; createdAt: string };

/**
 * `POST /operator/jobs/backup`: the same runs as the cron, each driven here to its end one step
 * (one invocation of the tenant's object) at a time, so the answer lists finished generations.
 */
export async function runBackupsNow(env: KuraEnv, at: Date, options: { partBytes?: number } = {}): Promise<{ backups: BackupResult[]; failed: string[] }> {
  const backups: BackupResult[] = [];
  const failed: string[] = [];
  for (const id of await activeTenantIds(env)) {
    const jobs = tenantJobsOf(env, id);
    const started = await jobs.startBackup(id, at.toISOString(), options);
    // The object's own alarm may take the last step before this loop does: the run's record,
    // not the last answer, says how it ended.
    for (let progress = started; !progress.done;) progress = await jobs.step();
    const run = started.runId ? await runRecord(env, id, started.runId) : null;
    if (run?.status !== "complete") {
      failed.push(id);
      continue;
    }
    backups.push({ tenantId: id, generation: run.generation, createdAt: run.startedAt });
  }
  return { backups, failed };
}

/** `backup.created` in the tenant's own log, by the system. */
export async function recordBackupCreated(env: KuraEnv, logger: Logger, run: { tenantId: string; runId: string; generation: string; rows: number }) {
  const data = await systemTenantData(env, run.tenantId);
  if (!data) return;
  await recordAudit({ env, logger, principal: { type: "anonymous" }, clientIp: null, userAgent: null }, data, {
    action: "backup.created",
    actor: { type: "system", id: null },
    target: { type: "backup", id: run.runId },
    details: { generation: run.generation, rows: run.rows },
  });
}
