import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { quotaWarnings, tenants, usageSnapshots } from "../db/control-schema";
import { projectUsage } from "../db/tenant-schema";
import { systemTenantData, type TenantData } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import type { MailContext } from "../mail/mail.server";
import { recordUsage, utcDay } from "../assets/usage.server";
import { quotaLevel, usagePercent, warnOnQuota } from "./quota-warnings.server";

/**
 * The daily storage snapshot (issue #12): for every active tenant its total (with its quota that
 * day) and each project's figures go to the control plane as numbers only, project ids and no
 * names, for the operator's usage view; the quota warnings are checked again; snapshots older than
 * SNAPSHOT_DAYS go.
 */
export const SNAPSHOT_DAYS = 400;
const PROJECTS_PER_READ = 500;
/** Six columns a row: 16 rows keep a statement under D1's 100 bound parameters. */
const ROWS_PER_INSERT = 16;

type SnapshotRow = typeof usageSnapshots.$inferInsert;

export async function snapshotUsage(ctx: MailContext & { logger: Logger }, at: Date): Promise<number> {
  const db = controlDb(ctx.env);
  const active = await db.select({ id: tenants.id, quota: tenants.storageQuotaBytes }).from(tenants).where(eq(tenants.status, "active")).all();
  const day = utcDay(at);
  for (const tenant of active) {
    try {
      const data = await systemTenantData(ctx.env, tenant.id);
      if (!data) continue;
      // The snapshot's own total is the operator console's copy too: no second sum.
      const totals = await snapshotTenant(ctx.env, data, day, tenant.quota);
      await recordUsage(ctx.env, tenant.id, totals);
      await warnOnQuota(ctx, tenant.id, totals.bytes, tenant.quota, at);
    } catch (error) {
      // One tenant's failure must not cost the others their snapshot.
      ctx.logger.error("usage snapshot failed", { tenantId: tenant.id, error: String(error) });
    }
  }
  await db
    .delete(usageSnapshots)
    .where(lt(usageSnapshots.day, utcDay(new Date(at.getTime() - SNAPSHOT_DAYS * 86_400_000))))
    .run();
  ctx.logger.info("usage snapshots taken", { tenants: active.length, day });
  return active.length;
}

/** One tenant's rows for `day` (a second run on the same day replaces them); returns its total. */
async function snapshotTenant(env: KuraEnv, data: TenantData, day: string, quotaBytes: number): Promise<{ bytes: number; assets: number }> {
  const rows: SnapshotRow[] = [];
  let total = { bytes: 0, assets: 0 };
  for (let after = ""; ;) {
    const page = await data.db
      .select({ projectId: projectUsage.projectId, bytes: projectUsage.bytes, assets: projectUsage.assets })
      .from(projectUsage)
      .where(and(eq(projectUsage.tenantId, data.tenantId), sql`${projectUsage.projectId} > ${after}`))
      .orderBy(projectUsage.projectId)
      .limit(PROJECTS_PER_READ)
      .all();
    for (const p of page) {
      rows.push({ tenantId: data.tenantId, day, projectId: p.projectId, bytes: p.bytes, assets: p.assets, quotaBytes: null });
      total = { bytes: total.bytes + p.bytes, assets: total.assets + p.assets };
    }
    if (page.length < PROJECTS_PER_READ) break;
    after = page.at(-1)!.projectId;
  }
  rows.unshift({ tenantId: data.tenantId, day, projectId: "", bytes: total.bytes, assets: total.assets, quotaBytes });
  const db = controlDb(env);
  const upsert = (chunk: SnapshotRow[]) =>
    db
      .insert(usageSnapshots)
      .values(chunk)
      .onConflictDoUpdate({
        target: [usageSnapshots.tenantId, usageSnapshots.day, usageSnapshots.projectId],
        set: { bytes: sql`excluded.bytes`, assets: sql`excluded.assets`, quotaBytes: sql`excluded.quota_bytes` },
      });
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) statements.push(upsert(rows.slice(i, i + ROWS_PER_INSERT)));
  await db.batch([db.delete(usageSnapshots).where(and(eq(usageSnapshots.tenantId, data.tenantId), eq(usageSnapshots.day, day))), ...statements]);
  return total;
}

/** The operator's view of every tenant's usage and quota, fullest first. */
export async function usageOverview(env: KuraEnv) {
  const rows = await controlDb(env)
    .select({
      tenantId: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      status: tenants.status,
      quotaBytes: tenants.storageQuotaBytes,
      usedBytes: tenants.usageBytes,
      assets: tenants.usageAssets,
      warningLevel: sql<number>`coalesce(${quotaWarnings.level}, 0)`,
    })
    .from(tenants)
    .leftJoin(quotaWarnings, eq(quotaWarnings.tenantId, tenants.id))
    .where(eq(tenants.status, "active"))
    .all();
  return rows
    .map((r) => ({ ...r, percent: usagePercent(r.usedBytes, r.quotaBytes), level: quotaLevel(r.usedBytes, r.quotaBytes) }))
    .sort((a, b) => b.percent - a.percent || a.slug.localeCompare(b.slug));
}

/** One tenant's daily totals for the last `days` days and its projects' figures on the newest day. */
export async function tenantUsageHistory(env: KuraEnv, tenantId: string, days: number, at = new Date()) {
  const db = controlDb(env);
  const since = utcDay(new Date(at.getTime() - (days - 1) * 86_400_000));
  const history = await db
    .select({ day: usageSnapshots.day, bytes: usageSnapshots.bytes, assets: usageSnapshots.assets, quotaBytes: usageSnapshots.quotaBytes })
    .from(usageSnapshots)
    .where(and(eq(usageSnapshots.tenantId, tenantId), eq(usageSnapshots.projectId, ""), gte(usageSnapshots.day, since)))
    .orderBy(usageSnapshots.day)
    .all();
  const newest = history.at(-1)?.day;
  const projects = newest
    ? await db
        .select({ projectId: usageSnapshots.projectId, bytes: usageSnapshots.bytes, assets: usageSnapshots.assets })
        .from(usageSnapshots)
        .where(and(eq(usageSnapshots.tenantId, tenantId), eq(usageSnapshots.day, newest), sql`${usageSnapshots.projectId} <> ''`))
        .orderBy(desc(usageSnapshots.bytes))
        .all()
    : [];
  return { tenantId, days: history.map((h) => ({ ...h, quotaBytes: h.quotaBytes ?? 0 })), projects, projectsDay: newest ?? null };
}
