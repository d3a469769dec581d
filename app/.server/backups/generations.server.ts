import { and, desc, eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { backupRuns } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import { clearStaging, manifestRows, type BackupManifest, type BackupState } from "./backup-run.server";
import { stagingShard } from "./placement.server";
import { backupRunPrefix } from "../storage/keys.server";
import type { VerifyScratch } from "./verify-scratch.server";

/**
 * Backup runs and the generations they make (ADR 0025). A generation is a tenant's newest
 * complete run of a day; exactly the newest two generations are kept after a successful run, and
 * nothing complete is deleted by a run that fails.
 */

export const GENERATIONS_KEPT = 2;

export async function recordRunStarted(env: KuraEnv, state: BackupState): Promise<void> {
  await controlDb(env)
    .insert(backupRuns)
    .values({ runId: state.runId, tenantId: state.tenantId, generation: state.generation, status: "running", startedAt: state.createdAt })
    .run();
}

export async function recordRunComplete(env: KuraEnv, manifest: BackupManifest, at: Date): Promise<void> {
  const rows = manifestRows(manifest) + manifest.audit.events;
  const bytes = manifest.parts.reduce((a, p) => a + p.bytes, 0);
  await controlDb(env)
    .update(backupRuns)
    .set({ status: "complete", finishedAt: at.toISOString(), bytes, rows })
    .where(and(eq(backupRuns.runId, manifest.runId), eq(backupRuns.tenantId, manifest.tenantId)))
    .run();
}

export async function recordRunFailed(env: KuraEnv, run: { tenantId: string; runId: string }, error: string, at: Date): Promise<void> {
  await controlDb(env)
    .update(backupRuns)
    .set({ status: "failed", finishedAt: at.toISOString(), error: error.slice(0, 500) })
    .where(and(eq(backupRuns.runId, run.runId), eq(backupRuns.tenantId, run.tenantId)))
    .run();
}

export async function runRecord(env: KuraEnv, tenantId: string, runId: string) {
  return controlDb(env)
    .select()
    .from(backupRuns)
    .where(and(eq(backupRuns.runId, runId), eq(backupRuns.tenantId, tenantId)))
    .get();
}

export type Generation = { generation: string; runId: string; createdAt: string; bytes: number };

/** The tenant's kept generations, newest first: the newest complete run of each of the newest days. */
export async function listGenerations(env: KuraEnv, tenantId: string): Promise<Generation[]> {
  const runs = await controlDb(env)
    .select()
    .from(backupRuns)
    .where(and(eq(backupRuns.tenantId, tenantId), eq(backupRuns.status, "complete")))
    .orderBy(desc(backupRuns.generation), desc(backupRuns.startedAt))
    .all();
  const newestPerDay = runs.filter((r, i) => i === 0 || runs[i - 1]!.generation !== r.generation);
  return newestPerDay.slice(0, GENERATIONS_KEPT).map((r) => ({ generation: r.generation, runId: r.runId, createdAt: r.startedAt, bytes: r.bytes }));
}

/**
 * Deletes every run of the tenant that is not a kept generation: older generations, a day's
 * replaced run, failed and interrupted runs (with any staging rows they left). Called only by the
 * tenant's job object after a run has completed, so no other run of the tenant is in progress.
 */
export async function pruneRuns(env: KuraEnv, tenantId: string): Promise<{ deletedRuns: number }> {
  const kept = new Set((await listGenerations(env, tenantId)).map((g) => g.runId));
  const runs = await controlDb(env).select().from(backupRuns).where(eq(backupRuns.tenantId, tenantId)).all();
  let deletedRuns = 0;
  for (const run of runs) {
    if (kept.has(run.runId)) continue;
    await deleteRunObjects(env, run);
    if (run.status !== "complete") await clearStaging(env, tenantId, run.runId);
    await controlDb(env)
      .delete(backupRuns)
      .where(and(eq(backupRuns.runId, run.runId), eq(backupRuns.tenantId, tenantId)))
      .run();
    deletedRuns += 1;
  }
  return { deletedRuns };
}

/** Every object under a run's prefix, in pages of R2's list size. */
export async function deleteRunObjects(env: KuraEnv, run: { tenantId: string; generation: string; runId: string }): Promise<number> {
  let deleted = 0;
  for (;;) {
    const listed = await env.BACKUPS.list({ prefix: backupRunPrefix(run), limit: 1000 });
    if (listed.objects.length === 0) return deleted;
    await env.BACKUPS.delete(listed.objects.map((o) => o.key));
    deleted += listed.objects.length;
  }
}

/**
 * A run given up (a backup job that failed, or a move's fresh backup when the move is undone):
 * its parts, its staging rows and its verification scratch go, and it is recorded failed. The
 * complete generations are untouched.
 */
export async function discardRun(env: KuraEnv, state: BackupState, scratch: VerifyScratch, error: string): Promise<void> {
  await deleteRunObjects(env, state);
  await clearStaging(env, state.tenantId, state.runId, await stagingShard(env, state));
  if (state.verify) scratch.clear();
  await recordRunFailed(env, state, error, new Date());
}
