import { createExecutionContext, createScheduledController, env, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../../workers/index";
import { tenantJobsOf } from "~/.server/backups/backup-job.server";
import type { KuraEnv } from "~/.server/env/env";

const kuraEnv = env as unknown as KuraEnv;

/** The Worker's scheduled handler, as the platform calls it for `cron` at `at`. */
export async function fireCron(cron: string, at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Runs a tenant's TenantJobs alarms until its job is over (the object may also fire one by itself meanwhile). */
export async function drainJobs(tenantId: string, maxAlarms = 400): Promise<void> {
  const jobs = tenantJobsOf(kuraEnv, tenantId);
  for (let i = 0; i < maxAlarms && (await jobs.progress()).outcome !== "idle"; i++) {
    if (!(await runDurableObjectAlarm(jobs))) await new Promise((r) => setTimeout(r, 10));
  }
  expect((await jobs.progress()).outcome, "the tenant's job is over").toBe("idle");
}
