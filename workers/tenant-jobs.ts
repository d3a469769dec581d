import { DurableObject } from "cloudflare:workers";
import { BackupVerificationFailed, backupStep, readManifest, startBackup, type BackupState } from "../app/.server/backups/backup-run.server";
import { alertOperator } from "../app/.server/operator/alerts.server";
import { readConfig } from "../app/.server/env/config.server";
import { deleteRunObjects, pruneRuns, recordRunComplete, recordRunFailed, recordRunStarted } from "../app/.server/backups/generations.server";
import { clearStaging } from "../app/.server/backups/backup-run.server";
import { recordBackupCreated } from "../app/.server/backups/backup-job.server";
import { envWithD1Limits } from "../app/.server/db/d1-limits.server";
import type { KuraEnv } from "../app/.server/env/env";
import { createLogger } from "../app/.server/http/logger.server";
import { faultPoint } from "../app/.server/testing/faults.server";

/**
 * One instance per tenant (idFromName(tenantId)): the tenant's operator jobs, run as bounded steps
 * (ADR 0025). Each step is its own invocation of the object (an alarm, or a `step()` call from the
 * operator endpoint that waits for the run), so each has its own query, CPU and memory budget; the
 * state between steps is in the object's storage, so a run cut off anywhere resumes at the step
 * that did not finish. `blockConcurrencyWhile` keeps an alarm and a `step()` from running at once.
 */

type Job = { kind: "backup"; state: BackupState; failures: number };
export type JobProgress = {
  done: boolean;
  runId: string | null;
  generation: string | null;
  outcome: "running" | "complete" | "failed" | "idle";
  error?: string;
};

const JOB_KEY = "job";
/** A step that keeps failing fails the run: the older generations stay as they are. */
const MAX_FAILURES = 3;
const RETRY_MS = 30_000;

export class TenantJobs extends DurableObject<KuraEnv> {
  private get kuraEnv(): KuraEnv {
    return envWithD1Limits(this.env);
  }

  /** Starts the tenant's backup for `at`, or returns the run already going (a second start is a no-op). */
  async startBackup(tenantId: string, atIso: string, options: { partBytes?: number } = {}): Promise<JobProgress> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const current = await this.ctx.storage.get<Job>(JOB_KEY);
      if (current) return progressOf(current);
      const state = await startBackup(this.kuraEnv, tenantId, new Date(atIso), options);
      await recordRunStarted(this.kuraEnv, state);
      const job: Job = { kind: "backup", state, failures: 0 };
      await this.ctx.storage.put(JOB_KEY, job);
      await this.ctx.storage.setAlarm(Date.now());
      return progressOf(job);
    });
  }

  /** Where the current job is, without moving it. */
  async progress(): Promise<JobProgress> {
    const job = await this.ctx.storage.get<Job>(JOB_KEY);
    return job ? progressOf(job) : { done: true, runId: null, generation: null, outcome: "idle" };
  }

  /** Runs one step of the current job. */
  async step(): Promise<JobProgress> {
    return this.ctx.blockConcurrencyWhile(() => this.runStep());
  }

  override async alarm(): Promise<void> {
    const progress = await this.ctx.blockConcurrencyWhile(() => this.runStep());
    if (!progress.done) await this.ctx.storage.setAlarm(Date.now() + (progress.error ? RETRY_MS : 0));
  }

  private async runStep(): Promise<JobProgress> {
    const job = await this.ctx.storage.get<Job>(JOB_KEY);
    if (!job) return { done: true, runId: null, generation: null, outcome: "idle" };
    const env = this.kuraEnv;
    const logger = createLogger({ requestId: `job-${job.state.runId}` });
    try {
      const state = await backupStep(env, job.state);
      await faultPoint(env, "backup:after-step");
      if (state.phase !== "done") {
        await this.ctx.storage.put(JOB_KEY, { ...job, state, failures: 0 });
        return progressOf({ ...job, state });
      }
      const manifest = await readManifest(env, state);
      await recordRunComplete(env, manifest, new Date());
      await pruneRuns(env, state.tenantId);
      const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
      await recordBackupCreated(env, logger, { tenantId: state.tenantId, runId: state.runId, generation: state.generation, rows });
      await this.ctx.storage.delete(JOB_KEY);
      logger.info("backup complete", { tenantId: state.tenantId, generation: state.generation, parts: state.parts.length });
      return { done: true, runId: state.runId, generation: state.generation, outcome: "complete" };
    } catch (error) {
      const failures = job.failures + 1;
      logger.error("backup step failed", { tenantId: job.state.tenantId, runId: job.state.runId, failures, error: String(error) });
      // A backup that does not read back as its manifest says is not retried: it is wrong, not unlucky.
      if (failures < MAX_FAILURES && !(error instanceof BackupVerificationFailed)) {
        await this.ctx.storage.put(JOB_KEY, { ...job, failures });
        return { ...progressOf(job), error: String(error) };
      }
      // Given up: the run's parts and staging rows go, the complete generations stay.
      await deleteRunObjects(env, job.state);
      await clearStaging(env, job.state.tenantId, job.state.runId);
      await recordRunFailed(env, job.state, String(error), new Date());
      await this.ctx.storage.delete(JOB_KEY);
      await alertOperator({ env, config: readConfig(env), waitUntil: (p) => this.ctx.waitUntil(p) }, logger, {
        subject: `Kura: backup failed for tenant ${job.state.tenantId}`,
        text: [
          `The backup run ${job.state.runId} (generation ${job.state.generation}) of tenant ${job.state.tenantId} failed and was removed.`,
          `Reason: ${String(error)}`,
          "The tenant's complete generations are untouched. The status page shows the backups component as degraded until a run of this tenant succeeds.",
        ].join("\n\n"),
      });
      return { done: true, runId: job.state.runId, generation: job.state.generation, outcome: "failed", error: String(error) };
    }
  }
}

function progressOf(job: Job): JobProgress {
  return { done: false, runId: job.state.runId, generation: job.state.generation, outcome: "running" };
}
