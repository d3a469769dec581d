import { eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { systemTenantData } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { recordAudit } from "../audit/record.server";
import { listGenerations, runRecord } from "./generations.server";

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

/**
 * A job's event in the tenant's own log (`backup.created` by the system, `backup.restored` by the
 * operator): jobs have no request, so no IP or user agent. Nothing for a tenant that is no longer active.
 */
export async function recordJobEvent(
  env: KuraEnv,
  logger: Logger,
  run: { tenantId: string; runId: string; generation: string },
  event: { action: "backup.created" | "backup.restored"; by: "system" | "operator"; details?: Record<string, unknown> },
) {
  const data = await systemTenantData(env, run.tenantId);
  if (!data) return;
  await recordAudit({ env, logger, principal: { type: "operator" }, clientIp: null, userAgent: null }, data, {
    action: event.action,
    actor: { type: event.by, id: null },
    target: { type: "backup", id: run.runId },
    details: { generation: run.generation, ...event.details },
  });
}

/**
 * `POST /operator/tenants/{id}/restore`: restores the tenant's kept generation `generation`, driven
 * here to its end one step at a time. Null when the tenant has no such generation; "busy" while
 * another job of the tenant (a backup) is going.
 */
export async function runRestoreNow(env: KuraEnv, tenantId: string, generation: string): Promise<"restored" | "busy" | null> {
  const kept = (await listGenerations(env, tenantId)).find((g) => g.generation === generation);
  if (!kept) return null;
  const jobs = tenantJobsOf(env, tenantId);
  const started = await jobs.startRestore({ tenantId, generation, runId: kept.runId });
  if (!started) return "busy";
  for (let progress = started; !progress.done;) progress = await jobs.step();
  const last = await jobs.lastResult();
  if (last?.kind !== "restore" || last.runId !== kept.runId || last.outcome !== "complete")
    throw new Error(`restore of ${tenantId} from ${generation} failed: ${last?.error ?? "unknown"}`);
  return "restored";
}
