import { DurableObject } from "cloudflare:workers";
import { BackupVerificationFailed, backupStep, clearStaging, startBackup, type BackupState } from "../app/.server/backups/backup-run.server";
import { finishBackupRun, recordJobEvent } from "../app/.server/backups/backup-job.server";
import { objectScratch, type VerifyScratch } from "../app/.server/backups/verify-scratch.server";
import { MoveRefused, moveStep, startMove, undoable, undoMove, type MoveState } from "../app/.server/backups/move.server";
import { discardRun, recordRunStarted } from "../app/.server/backups/generations.server";
import { restoreStep, startRestore, type RestoreState } from "../app/.server/backups/restore.server";
import { finishPurge } from "../app/.server/offboarding/certificate.server";
import { purgeStep, startPurge, type PurgeState } from "../app/.server/offboarding/purge.server";
import { envWithD1Limits } from "../app/.server/db/d1-limits.server";
import { shardDatabase } from "../app/.server/db/tenant-data.server";
import { readConfig } from "../app/.server/env/config.server";
import type { KuraEnv } from "../app/.server/env/env";
import { createLogger, type Logger } from "../app/.server/http/logger.server";
import { alertOperator } from "../app/.server/operator/alerts.server";
import { faultPoint } from "../app/.server/testing/faults.server";

/**
 * One instance per tenant (idFromName(tenantId)): the tenant's operator jobs (backup, restore, purge, move),
 * run as bounded steps (ADR 0025), one job at a time. Each step is its own invocation of the
 * object (an alarm, or a `step()` call from the operator endpoint that waits for the job), so each
 * has its own query, CPU and memory budget; the state between steps is in the object's storage,
 * so a job cut off anywhere resumes at the step that did not finish. `blockConcurrencyWhile` keeps
 * an alarm and a `step()` from running at once.
 */

type Job =
  | { kind: "backup"; state: BackupState; failures: number }
  | { kind: "restore"; state: RestoreState; failures: number }
  | { kind: "purge"; state: PurgeState; failures: number }
  | { kind: "move"; state: MoveState; failures: number };
export type JobProgress = {
  done: boolean;
  kind: Job["kind"] | null;
  runId: string | null;
  generation: string | null;
  outcome: "running" | "complete" | "failed" | "idle";
  error?: string;
};

const JOB_KEY = "job";
/** How the last job ended, for a caller whose last step an alarm took. */
const LAST_KEY = "last";
/** A step that keeps failing fails the job: the older generations stay as they are. */
const MAX_FAILURES = 3;
const RETRY_MS = 30_000;
const IDLE: JobProgress = { done: true, kind: null, runId: null, generation: null, outcome: "idle" };

export class TenantJobs extends DurableObject<KuraEnv> {
  private get kuraEnv(): KuraEnv {
    return envWithD1Limits(this.env);
  }

  /** Where verification restores a run: this object's own SQLite storage (verify-scratch.server.ts). */
  private get scratch(): VerifyScratch {
    return objectScratch(this.ctx.storage.sql);
  }

  /** Starts the tenant's backup for `at`, or returns the job already going (a second start is a no-op). */
  async startBackup(tenantId: string, atIso: string, options: { partBytes?: number } = {}): Promise<JobProgress> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const current = await this.ctx.storage.get<Job>(JOB_KEY);
      if (current) return progressOf(current);
      const state = await startBackup(this.kuraEnv, tenantId, new Date(atIso), options);
      await recordRunStarted(this.kuraEnv, state);
      return this.begin({ kind: "backup", state, failures: 0 });
    });
  }

  /** Starts restoring `run`; null while another job of the tenant is going (it must finish first). */
  async startRestore(run: { tenantId: string; generation: string; runId: string }, shards: RestoreState["shards"]): Promise<JobProgress | null> {
    return this.ctx.blockConcurrencyWhile(async () => {
      if (await this.ctx.storage.get<Job>(JOB_KEY)) return null;
      return this.begin({ kind: "restore", state: startRestore(run, shards), failures: 0 });
    });
  }

  /**
   * Starts moving the tenant to shard `to` (ADR 0028), or returns the move to `to` already going;
   * null while another job of the tenant (or a move elsewhere) is going.
   */
  async startMove(move: {
    tenantId: string;
    from: string;
    to: string;
    atIso: string;
    chosen?: { generation: string; runId: string };
  }): Promise<JobProgress | null> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const current = await this.ctx.storage.get<Job>(JOB_KEY);
      if (current) return current.kind === "move" && current.state.to === move.to ? progressOf(current) : null;
      return this.begin({ kind: "move", state: startMove({ ...move, at: new Date(move.atIso) }), failures: 0 });
    });
  }

  /**
   * Starts the tenant's purge (ADR 0026), or returns the purge already going (a purge cut off
   * resumes where it was); null while a backup or restore of the tenant is going.
   */
  async startPurge(tenantId: string, atIso: string): Promise<JobProgress | null> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const current = await this.ctx.storage.get<Job>(JOB_KEY);
      if (current) return current.kind === "purge" ? progressOf(current) : null;
      return this.begin({ kind: "purge", state: startPurge(tenantId, new Date(atIso)), failures: 0 });
    });
  }

  /** Where the current job is, without moving it. */
  async progress(): Promise<JobProgress> {
    const job = await this.ctx.storage.get<Job>(JOB_KEY);
    return job ? progressOf(job) : IDLE;
  }

  /** How the last finished job ended. */
  async lastResult(): Promise<JobProgress | null> {
    return (await this.ctx.storage.get<JobProgress>(LAST_KEY)) ?? null;
  }

  /** Runs one step of the current job. */
  async step(): Promise<JobProgress> {
    return this.ctx.blockConcurrencyWhile(() => this.runStep());
  }

  override async alarm(): Promise<void> {
    const progress = await this.ctx.blockConcurrencyWhile(() => this.runStep());
    if (!progress.done) await this.ctx.storage.setAlarm(Date.now() + (progress.error ? RETRY_MS : 0));
  }

  private async begin(job: Job): Promise<JobProgress> {
    await this.ctx.storage.put(JOB_KEY, job);
    await this.ctx.storage.setAlarm(Date.now());
    return progressOf(job);
  }

  private async end(result: JobProgress): Promise<JobProgress> {
    await this.ctx.storage.delete(JOB_KEY);
    await this.ctx.storage.put(LAST_KEY, result);
    return result;
  }

  private async runStep(): Promise<JobProgress> {
    const job = await this.ctx.storage.get<Job>(JOB_KEY);
    if (!job) return IDLE;
    const env = this.kuraEnv;
    const logger = createLogger({ requestId: `job-${job.state.runId}` });
    const started = Date.now();
    try {
      const progress = await this.stepOf(env, logger, job);
      // Each step's phase and duration: where a job's time goes (ids and numbers only).
      logger.info("job step", { kind: job.kind, phase: phaseOf(job), ms: Date.now() - started, tenantId: job.state.tenantId });
      return progress;
    } catch (error) {
      const failures = job.failures + 1;
      if (job.kind === "purge") return this.purgeFailed(env, logger, job, failures, error);
      if (job.kind === "move") return this.moveFailed(env, logger, job, failures, error);
      logger.error(`${job.kind} step failed`, { tenantId: job.state.tenantId, runId: job.state.runId, failures, error: String(error) });
      // A backup that does not read back as its manifest says is not retried: it is wrong, not unlucky.
      if (failures < MAX_FAILURES && !(error instanceof BackupVerificationFailed)) {
        await this.ctx.storage.put(JOB_KEY, { ...job, failures });
        return { ...progressOf(job), error: String(error) };
      }
      await this.giveUp(env, logger, job, error);
      return this.end({ ...progressOf(job), done: true, outcome: "failed", error: String(error) });
    }
  }

  private stepOf(env: KuraEnv, logger: Logger, job: Job): Promise<JobProgress> {
    if (job.kind === "purge") return this.purgeStep(env, logger, job);
    if (job.kind === "move") return this.moveStep(env, logger, job);
    return job.kind === "backup" ? this.backupStep(env, logger, job) : this.restoreStep(env, logger, job);
  }

  private async backupStep(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "backup" }>): Promise<JobProgress> {
    const state = await backupStep(env, job.state, this.scratch);
    await faultPoint(env, "backup:after-step");
    if (state.phase !== "done") return this.saved({ ...job, state });
    await finishBackupRun(env, logger, state);
    return this.end({ ...progressOf(job), done: true, outcome: "complete" });
  }

  private async restoreStep(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "restore" }>): Promise<JobProgress> {
    const state = await restoreStep(env, job.state);
    if (state.phase !== "done") return this.saved({ ...job, state });
    await recordJobEvent(env, logger, state, { action: "backup.restored", by: "operator" });
    logger.info("restore complete", { tenantId: state.tenantId, generation: state.generation });
    return this.end({ ...progressOf(job), done: true, outcome: "complete" });
  }

  /**
   * One purge step. At the end the certificate is written and the record marked purged, and then
   * this object's own storage goes too: nothing of the tenant is left in it.
   */
  private async purgeStep(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "purge" }>): Promise<JobProgress> {
    const state = await purgeStep(env, logger, job.state);
    await faultPoint(env, "purge:after-step");
    if (state.phase !== "done") return this.saved({ ...job, state });
    const certificate = await finishPurge(env, state);
    logger.info("tenant purged", { tenantId: state.tenantId, deleted: certificate.deleted });
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    return { ...progressOf(job), done: true, outcome: "complete" };
  }

  /**
   * A purge is never given up: deletion is owed. Its state stays, the alarm tries again later, and
   * the operator is alerted once when it has failed MAX_FAILURES times in a row.
   */
  private async purgeFailed(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "purge" }>, failures: number, error: unknown): Promise<JobProgress> {
    logger.error("purge step failed", { tenantId: job.state.tenantId, phase: job.state.phase, failures, error: String(error) });
    await this.ctx.storage.put(JOB_KEY, { ...job, failures });
    if (failures === MAX_FAILURES) {
      await this.alert(env, logger, `Kura: purge of tenant ${job.state.tenantId} keeps failing`, [
        `The purge ${job.state.runId} of tenant ${job.state.tenantId} failed ${failures} times in a row in its "${job.state.phase}" step.`,
        `Reason: ${String(error)}`,
        "It keeps its progress and is retried by its alarm and by every purge sweep; nothing already deleted comes back.",
      ]);
    }
    return { ...progressOf(job), error: String(error) };
  }

  /** One step of a move; its fresh backup is recorded like any other run when it is written and verified. */
  private async moveStep(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "move" }>): Promise<JobProgress> {
    const { state, backupDone } = await moveStep(env, logger, job.state, this.scratch);
    await faultPoint(env, "move:after-step");
    if (backupDone) await finishBackupRun(env, logger, backupDone);
    if (state.phase !== "done") return this.saved({ ...job, state });
    await recordJobEvent(env, logger, state, { action: "tenant.moved", by: "operator", details: { from: state.from, to: state.to } });
    logger.info("tenant moved", { tenantId: state.tenantId, from: state.from, to: state.to, generation: state.generation });
    return this.end({ ...progressOf(job), done: true, outcome: "complete" });
  }

  /**
   * A move failing before its switch is retried, then undone (the tenant works on its old shard
   * again); one refused at its start changed nothing and ends at once. After the switch the
   * tenant lives on the new shard: clearing the old one is retried for as long as it takes.
   */
  private async moveFailed(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "move" }>, failures: number, error: unknown): Promise<JobProgress> {
    const { state } = job;
    logger.error("move step failed", { tenantId: state.tenantId, phase: state.phase, failures, error: String(error) });
    const failed = (): Promise<JobProgress> => this.end({ ...progressOf(job), done: true, outcome: "failed", error: String(error) });
    if (error instanceof MoveRefused) return failed();
    const alert = (what: string, after: string) =>
      this.alert(env, logger, `Kura: move of tenant ${state.tenantId} ${what}`, [
        `The move ${state.runId} of tenant ${state.tenantId} from shard ${state.from} to ${state.to} failed ${failures} time(s) in its "${state.phase}" step.`,
        `Reason: ${String(error)}`,
        after,
      ]);
    if (undoable(state) && (failures >= MAX_FAILURES || error instanceof BackupVerificationFailed)) {
      await undoMove(env, state, String(error), this.scratch);
      await alert("failed and was undone", "It was undone: the tenant works on its old shard again, and the new shard holds nothing of it.");
      return failed();
    }
    await this.ctx.storage.put(JOB_KEY, { ...job, failures });
    if (failures === MAX_FAILURES)
      await alert("keeps failing", "The tenant already works on the new shard; emptying the old one is retried by the job's alarm.");
    return { ...progressOf(job), error: String(error) };
  }

  /** Given up: a backup's parts and staging rows go (the complete generations stay), a restore's staging goes (nothing was swapped). */
  private async giveUp(env: KuraEnv, logger: Logger, job: Extract<Job, { kind: "backup" | "restore" }>, error: unknown): Promise<void> {
    if (job.kind === "restore") {
      await clearStaging(env, job.state.tenantId, job.state.stagingRunId, await shardDatabase(env, job.state.shards.into));
      return;
    }
    await discardRun(env, job.state, this.scratch, String(error));
    await this.alert(env, logger, `Kura: backup failed for tenant ${job.state.tenantId}`, [
      `The backup run ${job.state.runId} (generation ${job.state.generation}) of tenant ${job.state.tenantId} failed and was removed.`,
      `Reason: ${String(error)}`,
      "The tenant's complete generations are untouched. The status page shows the backups component as degraded until a run of this tenant succeeds.",
    ]);
  }

  /** An e-mail to OPERATOR_ALERT_EMAIL, its paragraphs apart. */
  private alert(env: KuraEnv, logger: Logger, subject: string, paragraphs: string[]): Promise<void> {
    return alertOperator({ env, config: readConfig(env), waitUntil: (p) => this.ctx.waitUntil(p) }, logger, { subject, text: paragraphs.join("\n\n") });
  }

  /** A step's progress saved (its failures reset): the next step starts from it. */
  private async saved(job: Job): Promise<JobProgress> {
    await this.ctx.storage.put(JOB_KEY, { ...job, failures: 0 });
    return progressOf(job);
  }
}

/** The step a job is at, for its log line (a move names its backup's or restore's phase too). */
function phaseOf(job: Job): string {
  if (job.kind !== "move") return job.state.phase;
  const inner = job.state.phase === "backup" ? job.state.backup?.phase : job.state.phase === "restore" ? job.state.restore?.phase : undefined;
  return inner ? `${job.state.phase}:${inner}` : job.state.phase;
}

function progressOf(job: Job): JobProgress {
  return { done: false, kind: job.kind, runId: job.state.runId, generation: job.state.generation, outcome: "running" };
}
