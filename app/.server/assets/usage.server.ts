import { rawStatement } from "../db/raw-statement.server";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { projectUsage, projects, uploads, usageDaily } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
import type { Logger } from "../http/logger.server";
import { fail } from "../http/errors.server";
import { readConfig } from "../env/config.server";
import type { MailContext } from "../mail/mail.server";
import { warnOnQuota } from "../usage/quota-warnings.server";

/**
 * Storage usage. The truth is `project_usage` in the tenant's database,
 * changed by the same D1 batch that adds or removes an asset, so it cannot
 * drift from the assets. `usage_daily` keeps the end-of-day total for the
 * history chart. The control plane's copy (tenants.usage_bytes) is only for
 * the operator console and is refreshed after each change.
 */

export function utcDay(at = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/**
 * An upload that still holds its reservation: being completed, or open and
 * not expired. An expired one stops counting at once, before the scheduled
 * sweep aborts it (ADR 0019).
 */
export function liveReservation(nowIso = new Date().toISOString()): SQL {
  return sql`(${uploads.status} = 'completing' OR (${uploads.status} = 'open' AND ${uploads.expiresAt} > ${nowIso}))`;
}

/** Statements that move a project's usage by a delta; run them in the asset change's batch. */
export function usageDeltaStatements(data: TenantData, projectId: string, deltaBytes: number, deltaAssets: number) {
  return [
    data.db
      .insert(projectUsage)
      .values({ projectId, tenantId: data.tenantId, bytes: deltaBytes, assets: deltaAssets })
      .onConflictDoUpdate({
        target: projectUsage.projectId,
        set: { bytes: sql`${projectUsage.bytes} + ${deltaBytes}`, assets: sql`${projectUsage.assets} + ${deltaAssets}` },
      }),
    rawStatement(
      data.db,
      sql`
      INSERT INTO ${usageDaily} (tenant_id, day, bytes, assets)
      SELECT ${data.tenantId}, ${utcDay()}, coalesce(sum(bytes), 0), coalesce(sum(assets), 0)
      FROM ${projectUsage} WHERE tenant_id = ${data.tenantId}
      ON CONFLICT (tenant_id, day) DO UPDATE SET bytes = excluded.bytes, assets = excluded.assets`,
    ),
  ] as const;
}

export async function tenantTotals(data: TenantData): Promise<{ bytes: number; assets: number }> {
  const row = await data.db
    .select({ bytes: sql<number>`coalesce(sum(${projectUsage.bytes}), 0)`, assets: sql<number>`coalesce(sum(${projectUsage.assets}), 0)` })
    .from(projectUsage)
    .where(eq(projectUsage.tenantId, data.tenantId))
    .get();
  return { bytes: Number(row?.bytes ?? 0), assets: Number(row?.assets ?? 0) };
}

/** Bytes of uploads still in progress (of one user, if given): held against the quota until they complete, are aborted or expire. */
export async function reservedBytes(data: TenantData, userId?: string): Promise<number> {
  const row = await data.db
    .select({ bytes: sql<number>`coalesce(sum(${uploads.size}), 0)` })
    .from(uploads)
    .where(and(eq(uploads.tenantId, data.tenantId), liveReservation(), userId ? eq(uploads.createdBy, userId) : undefined))
    .get();
  return Number(row?.bytes ?? 0);
}

/** The most one user's uploads in progress may reserve together (ADR 0019). */
export function userReservationCap(env: KuraEnv, quota: number): number {
  return Math.floor(quota * readConfig(env).uploadUserReservationShare);
}

export async function quotaBytes(env: KuraEnv, tenantId: string): Promise<number> {
  const row = await controlDb(env).select({ quota: tenants.storageQuotaBytes }).from(tenants).where(eq(tenants.id, tenantId)).get();
  return row?.quota ?? 0;
}

/**
 * Refuses (403 quota_exceeded) when `size` more bytes would pass the quota,
 * counting stored bytes and uploads in progress, or would take `userId`'s
 * uploads in progress past their share of it. Callers repeat the check
 * atomically with their insert (quotaHeadroomCondition) to close the race
 * between two uploads that both fit alone.
 */
export async function requireQuotaFor(env: KuraEnv, data: TenantData, size: number, userId?: string): Promise<number> {
  const quota = await quotaBytes(env, data.tenantId);
  const [{ bytes }, reserved, mine] = await Promise.all([tenantTotals(data), reservedBytes(data), userId ? reservedBytes(data, userId) : 0]);
  if (bytes + reserved + size > quota) quotaExceeded(quota, bytes + reserved);
  const cap = userReservationCap(env, quota);
  if (userId && mine + size > cap) {
    fail("quota_exceeded", "Your uploads in progress would hold more than your share of the storage quota; finish or cancel some first.", {
      details: { quotaBytes: quota, userReservedBytes: mine, userReservationCapBytes: cap },
    });
  }
  return quota;
}

export function quotaExceeded(quota: number, used: number): never {
  fail("quota_exceeded", "This upload would exceed your organisation's storage quota.", {
    details: { quotaBytes: quota, usedBytes: used },
  });
}

/** SQL condition: stored + reserved + size still fits the quota (for INSERT … SELECT … WHERE). */
export function quotaHeadroomCondition(tenantId: string, size: number, quota: number) {
  return sql`(SELECT coalesce(sum(bytes), 0) FROM ${projectUsage} WHERE tenant_id = ${tenantId})
    + (SELECT coalesce(sum(size), 0) FROM ${uploads} WHERE tenant_id = ${tenantId} AND ${liveReservation()})
    + ${size} <= ${quota}`;
}

/** SQL condition: the user's uploads in progress plus `size` stay within their cap. */
export function userReservationCondition(tenantId: string, userId: string, size: number, cap: number) {
  return sql`(SELECT coalesce(sum(size), 0) FROM ${uploads} WHERE tenant_id = ${tenantId} AND created_by = ${userId} AND ${liveReservation()}) + ${size} <= ${cap}`;
}

/**
 * Refreshes the operator console's copy of the tenant's usage. Best effort:
 * the change it follows has already committed, so a failure is only logged.
 * Returns the totals it published (null when that failed).
 */
export async function publishUsage(ctx: { env: KuraEnv; logger: Logger }, data: TenantData): Promise<{ bytes: number; assets: number } | null> {
  try {
    const totals = await tenantTotals(data);
    await recordUsage(ctx.env, data.tenantId, totals);
    return totals;
  } catch (error) {
    ctx.logger.warn("usage_publish_failed", { tenantId: data.tenantId, error: String(error) });
    return null;
  }
}

/** Writes the operator console's copy of a tenant's totals. */
export async function recordUsage(env: KuraEnv, tenantId: string, totals: { bytes: number; assets: number }): Promise<void> {
  await controlDb(env).update(tenants).set({ usageBytes: totals.bytes, usageAssets: totals.assets }).where(eq(tenants.id, tenantId));
}

/**
 * After usage grew: publishes it, and warns the tenant's admins when it crossed 80 % or 100 % of the
 * quota (best effort too: the upload has committed; the daily snapshot checks again).
 */
export async function publishGrownUsage(ctx: MailContext & { logger: Logger }, data: TenantData): Promise<void> {
  const totals = await publishUsage(ctx, data);
  if (!totals) return;
  try {
    await warnOnQuota(ctx, data.tenantId, totals.bytes, await quotaBytes(ctx.env, data.tenantId));
  } catch (error) {
    ctx.logger.warn("quota_warning_failed", { tenantId: data.tenantId, error: String(error) });
  }
}

/** GET /usage: totals, per-project figures, and a daily history carried forward over days without change. */
export async function usageReport(env: KuraEnv, data: TenantData, days: number) {
  const [totals, reserved, quota, perProject, history, before] = await Promise.all([
    tenantTotals(data),
    reservedBytes(data),
    quotaBytes(env, data.tenantId),
    data.db
      .select({ projectId: projects.id, name: projects.name, bytes: projectUsage.bytes, assets: projectUsage.assets })
      .from(projects)
      .leftJoin(projectUsage, eq(projectUsage.projectId, projects.id))
      .where(eq(projects.tenantId, data.tenantId))
      .orderBy(projects.name)
      .all(),
    data.db
      .select()
      .from(usageDaily)
      .where(and(eq(usageDaily.tenantId, data.tenantId), sql`${usageDaily.day} > ${utcDay(new Date(Date.now() - days * 86_400_000))}`))
      .orderBy(usageDaily.day)
      .all(),
    data.db
      .select()
      .from(usageDaily)
      .where(and(eq(usageDaily.tenantId, data.tenantId), sql`${usageDaily.day} <= ${utcDay(new Date(Date.now() - days * 86_400_000))}`))
      .orderBy(sql`${usageDaily.day} DESC`)
      .limit(1)
      .get(),
  ]);
  const byDay = new Map(history.map((h) => [h.day, h]));
  let carried = { bytes: before?.bytes ?? 0, assets: before?.assets ?? 0 };
  const series: { date: string; bytes: number; assets: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = utcDay(new Date(Date.now() - i * 86_400_000));
    const row = byDay.get(day);
    if (row) carried = { bytes: row.bytes, assets: row.assets };
    series.push({ date: day, ...carried });
  }
  return {
    bytes: totals.bytes,
    assets: totals.assets,
    quotaBytes: quota,
    reservedBytes: reserved,
    projects: perProject.map((p) => ({ projectId: p.projectId, name: p.name, bytes: p.bytes ?? 0, assets: p.assets ?? 0 })),
    history: series,
  };
}
