import { and, asc, count, eq, gt, or } from "drizzle-orm";
import type { KuraConfig } from "../env/config.server";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { shards, tenants } from "../db/control-schema";
import { tenantSettings } from "../db/tenant-schema";
import { shardDatabase, tenantDbFor } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import type { CreateTenantInput, TenantDetail } from "~/schemas/tenant";

type TenantRow = typeof tenants.$inferSelect;

function toDetail(row: TenantRow): TenantDetail {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    storageQuotaBytes: row.storageQuotaBytes,
    usage: { bytes: row.usageBytes, assets: row.usageAssets },
    createdAt: row.createdAt,
    terminatedAt: row.terminatedAt,
    purgeAfter: row.purgeAfter,
    purgedAt: row.purgedAt,
  };
}

export function toSummary(row: Pick<TenantRow, "id" | "slug" | "name" | "status">) {
  return { id: row.id, slug: row.slug, name: row.name, status: row.status };
}

/** New tenants go to the accepting shard with the fewest tenants. */
async function chooseShard(env: KuraEnv): Promise<string> {
  const rows = await controlDb(env)
    .select({ key: shards.key, tenants: count(tenants.id) })
    .from(shards)
    .leftJoin(tenants, eq(tenants.shardKey, shards.key))
    .where(eq(shards.acceptsNewTenants, true))
    .groupBy(shards.key)
    .orderBy(asc(count(tenants.id)), asc(shards.key))
    .all();
  const first = rows[0];
  if (!first) throw new Error("No tenant-data shard accepts new tenants");
  return first.key;
}

function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { cause?: unknown })?.cause ?? "") + String(error);
  return /UNIQUE constraint failed/i.test(text);
}

/**
 * Creates the tenant in the control plane, then its settings row in its
 * shard. The two databases cannot share a transaction, so a failure of the
 * second step removes the first.
 */
export async function createTenant(env: KuraEnv, config: KuraConfig, input: CreateTenantInput): Promise<TenantDetail> {
  const db = controlDb(env);
  const existing = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug)).get();
  if (existing) fail("conflict", `The slug "${input.slug}" is already taken.`);

  const shardKey = await chooseShard(env);
  const id = newId("tenant");
  let row: TenantRow;
  try {
    row = await db
      .insert(tenants)
      .values({
        id,
        slug: input.slug,
        name: input.name,
        adminEmail: input.adminEmail,
        shardKey,
        storageQuotaBytes: input.storageQuotaBytes ?? config.defaultStorageQuotaBytes,
      })
      .returning()
      .get();
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", `The slug "${input.slug}" is already taken.`);
    throw error;
  }

  try {
    await tenantDbFor(await shardDatabase(env, shardKey)).insert(tenantSettings).values({ tenantId: id }).run();
  } catch (error) {
    await db.delete(tenants).where(eq(tenants.id, id)).run();
    throw error;
  }
  return toDetail(row);
}

export async function getTenant(env: KuraEnv, tenantId: string): Promise<TenantDetail | null> {
  const row = await controlDb(env).select().from(tenants).where(eq(tenants.id, tenantId)).get();
  return row ? toDetail(row) : null;
}

/** Oldest first; the cursor is the (createdAt, id) of the last item. */
export async function listTenants(env: KuraEnv, page: { limit: number; cursor?: string }) {
  const after = page.cursor ? decodeCursor(page.cursor, ["createdAt", "id"]) : null;
  const rows = await controlDb(env)
    .select()
    .from(tenants)
    .where(
      after
        ? or(gt(tenants.createdAt, after.createdAt), and(eq(tenants.createdAt, after.createdAt), gt(tenants.id, after.id)))
        : undefined,
    )
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(page.limit + 1)
    .all();
  const items = rows.slice(0, page.limit).map(toDetail);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
