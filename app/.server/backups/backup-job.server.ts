import { and, eq, isNull } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { getTenant, shardKeys } from "../tenants/tenants.server";
import { fail } from "../http/errors.server";
import type { KuraContext } from "../context";
import { recordOperatorAction } from "../operator/operator-audit.server";
import { systemTenantData } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { recordAudit } from "../audit/record.server";
import { tenantPlacement } from "./placement.server";
import type { JobProgress } from "../../../workers/tenant-jobs";
import { listGenerations, pruneRuns, recordRunComplete, runRecord } from "./generations.server";
import { manifestRows, readManifest, type BackupState } from "./backup-run.server";

/** The daily backup's Cron Trigger (wrangler.toml): 18:00 UTC is 03:00 in Tokyo. */
export const DAILY_BACKUP_CRON = "0 18 * * *";

export function tenantJobsOf(env: KuraEnv, tenantId: string) {
  return env.TENANT_JOBS.get(env.TENANT_JOBS.idFromName(tenantId));
}

/** Active tenants, less those being moved (a move takes its own fresh backup, ADR 0028). */
async function activeTenantIds(env: KuraEnv): Promise<string[]> {
  const rows = await controlDb(env)
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.status, "active"), isNull(tenants.movingTo)))
    .all();
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
    const run = await runTenantBackupNow(env, id, at, options);
    if (run?.status !== "complete") {
      failed.push(id);
      continue;
    }
    backups.push({ tenantId: id, generation: run.generation, createdAt: run.startedAt });
  }
  return { backups, failed };
}

/**
 * One tenant's backup run through its job object, driven to its end; its record after (the
 * object's own alarm may take the last step before this loop does: the record, not the last
 * answer, says how it ended). `afterStart` runs between the start (the consistent copy) and the
 * first step, for tests of that moment.
 */
export async function runTenantBackupNow(env: KuraEnv, tenantId: string, at: Date, options: { partBytes?: number; afterStart?: () => Promise<void> } = {}) {
  const jobs = tenantJobsOf(env, tenantId);
  const started = await jobs.startBackup(tenantId, at.toISOString(), options.partBytes ? { partBytes: options.partBytes } : {});
  await options.afterStart?.();
  await driveToEnd(jobs, started);
  return started.runId ? runRecord(env, tenantId, started.runId) : null;
}

/** A backup run written and verified: recorded complete, the generations pruned to two, and logged in the tenant's log. */
export async function finishBackupRun(env: KuraEnv, logger: Logger, state: BackupState): Promise<void> {
  const manifest = await readManifest(env, state);
  await recordRunComplete(env, manifest, new Date());
  await pruneRuns(env, state.tenantId);
  await recordJobEvent(env, logger, state, { action: "backup.created", by: "system", details: { rows: manifestRows(manifest) } });
  logger.info("backup complete", { tenantId: state.tenantId, generation: state.generation, parts: state.parts.length });
}

/**
 * A job's event in the tenant's own log (`backup.created` by the system, `backup.restored` by the
 * operator): jobs have no request, so no IP or user agent. Nothing for a tenant that is no longer active.
 */
export async function recordJobEvent(
  env: KuraEnv,
  logger: Logger,
  run: { tenantId: string; runId: string; generation: string },
  event: { action: "backup.created" | "backup.restored" | "tenant.moved"; by: "system" | "operator"; details?: Record<string, unknown> },
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
 * another job of the tenant (a backup) is going. With `shard` naming another shard than the
 * tenant's, the restore is a move there (ADR 0028).
 */
export async function runRestoreNow(env: KuraEnv, tenantId: string, generation: string, shard?: string): Promise<"restored" | "busy" | "failed" | null> {
  const kept = (await listGenerations(env, tenantId)).find((g) => g.generation === generation);
  if (!kept) return null;
  const { shardKey } = await tenantPlacement(env, tenantId);
  if (shard && shard !== shardKey) {
    const moved = await runMoveNow(env, tenantId, shard, { generation, runId: kept.runId });
    return moved.outcome === "moved" ? "restored" : moved.outcome === "already_there" ? "busy" : moved.outcome;
  }
  const jobs = tenantJobsOf(env, tenantId);
  const started = await jobs.startRestore({ tenantId, generation, runId: kept.runId }, { into: shardKey, aliveIn: shardKey });
  if (!started) return "busy";
  await driveToEnd(jobs, started);
  const last = await jobs.lastResult();
  if (last?.kind !== "restore" || last.runId !== kept.runId || last.outcome !== "complete")
    throw new Error(`restore of ${tenantId} from ${generation} failed: ${last?.error ?? "unknown"}`);
  return "restored";
}

/** Each step a call of the tenant's object, until the job is done (its alarm may take some of them). */
async function driveToEnd(jobs: ReturnType<typeof tenantJobsOf>, started: JobProgress): Promise<void> {
  for (let progress = started; !progress.done;) progress = await jobs.step();
}

export type MoveOutcome = { outcome: "moved"; generation: string } | { outcome: "busy" | "failed" | "already_there" };

/**
 * Moves the tenant to shard `to` (ADR 0028): a fresh backup restored there, or the generation
 * `chosen`. Driven here to its end. The caller has checked that the tenant is active and that `to`
 * is a known shard (requireMoveTarget); a tenant that is already there (a concurrent call's move
 * finished first) is not moved again.
 */
export async function runMoveNow(env: KuraEnv, tenantId: string, to: string, chosen?: { generation: string; runId: string }): Promise<MoveOutcome> {
  const { shardKey: from } = await tenantPlacement(env, tenantId);
  const jobs = tenantJobsOf(env, tenantId);
  let started: JobProgress | null;
  if (from === to) {
    // The shard map already names `to`: a move there may still be clearing the old shard (wait for it), or none is going.
    started = await jobs.progress();
    if (started.kind !== "move") return { outcome: "already_there" };
  } else {
    started = await jobs.startMove({ tenantId, from, to, atIso: new Date().toISOString(), ...(chosen ? { chosen } : {}) });
    if (!started) return { outcome: "busy" };
  }
  await driveToEnd(jobs, started);
  const last = await jobs.lastResult();
  const moved = last?.kind === "move" && last.runId === started.runId && last.outcome === "complete";
  return moved ? { outcome: "moved", generation: last.generation! } : { outcome: "failed" };
}

/**
 * The checks before a move (ADR 0028), as the API's errors: the tenant exists and is active, no
 * move of it elsewhere is going, and `to` is a shard of the map other than the tenant's own.
 */
export async function requireMoveTarget(env: KuraEnv, tenantId: string, to: string): Promise<{ from: string }> {
  const tenant = await getTenant(env, tenantId);
  if (!tenant) fail("not_found", "No such tenant.");
  if (tenant.status !== "active") fail("conflict", "Only an active tenant can be moved.");
  if (tenant.movingTo && tenant.movingTo !== to) fail("conflict", `The tenant is being moved to shard ${tenant.movingTo}.`);
  if (!(await shardKeys(env)).includes(to))
    fail("validation_failed", "The body is not valid.", { fields: [{ path: "shard", message: `There is no shard "${to}" in the shard map.` }] });
  if (tenant.shard === to) fail("conflict", `The tenant is already on shard ${to}.`);
  return { from: tenant.shard };
}

/**
 * The operator moves a tenant to shard `to` (ADR 0028), for the API and the console alike: the
 * checks, the move driven to its end, its outcome as the API's errors, and the operator-log entry.
 */
export async function moveTenant(context: KuraContext, tenantId: string, to: string): Promise<{ from: string; to: string; generation: string }> {
  const { from } = await requireMoveTarget(context.env, tenantId, to);
  const moved = await runMoveNow(context.env, tenantId, to);
  if (moved.outcome === "busy") fail("conflict", "Another job of this tenant (a backup, restore or purge) is running; move when it has finished.");
  if (moved.outcome === "already_there") fail("conflict", `The tenant is already on shard ${to}.`);
  if (moved.outcome !== "moved") fail("service_unavailable", "The move failed and was undone; the tenant works on its old shard.");
  context.logger.info("tenant moved", { tenantId, from, to });
  const done = { from, to, generation: moved.generation };
  await recordOperatorAction(context, { action: "tenant.moved", targetType: "tenant", targetId: tenantId, details: done });
  return done;
}
