import { and, asc, count, eq, gt, ne, or } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { shards, tenants } from "../db/control-schema";
import { tenantSettings } from "../db/tenant-schema";
import { shardDatabase, systemTenantData, tenantDbFor } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { isUniqueViolation } from "../db/errors.server";
import { newId } from "../ids/ids";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import type { CreateTenantInput, TenantDetail, UpdateTenantContract } from "~/schemas/tenant";
import type { AuthContext } from "../identity/login.server";
import { inviteUserRecord } from "../identity/accounts.server";
import type { KuraContext } from "../context";
import { recordOperatorAction } from "../operator/operator-audit.server";

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
    shard: row.shardKey,
    movingTo: row.movingTo,
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

/**
 * Creates the tenant in the control plane, then its settings row and its
 * first tenant admin (invited, with a single-use setup link that is e-mailed
 * and returned once) in its shard. The two databases cannot share a
 * transaction, so a failure of the shard step removes the control-plane row.
 */
export async function createTenant(ctx: AuthContext, input: CreateTenantInput): Promise<{ tenant: TenantDetail; adminSetupToken: string }> {
  const { env, config } = ctx;
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

  let adminSetupToken: string;
  try {
    await tenantDbFor(await shardDatabase(env, shardKey))
      .insert(tenantSettings)
      .values({ tenantId: id })
      .run();
    const data = await systemTenantData(env, id);
    if (!data) throw new Error("the new tenant is not readable");
    const invited = await inviteUserRecord(ctx, data, {
      email: input.adminEmail,
      name: "",
      tenantRole: "tenant_admin",
      firstAdmin: true,
    });
    adminSetupToken = invited.setupToken;
  } catch (error) {
    await removeTenantRows(env, shardKey, id);
    throw error;
  }
  return { tenant: toDetail(row), adminSetupToken };
}

/** Undoes a half-made tenant: its shard rows, then its control-plane row. */
async function removeTenantRows(env: KuraEnv, shardKey: string, tenantId: string): Promise<void> {
  const shard = await shardDatabase(env, shardKey);
  await shard.batch([
    shard.prepare("DELETE FROM users WHERE tenant_id = ?").bind(tenantId),
    shard.prepare("DELETE FROM tenant_settings WHERE tenant_id = ?").bind(tenantId),
  ]);
  await controlDb(env).delete(tenants).where(eq(tenants.id, tenantId)).run();
}

export async function getTenant(env: KuraEnv, tenantId: string): Promise<TenantDetail | null> {
  const row = await controlDb(env).select().from(tenants).where(eq(tenants.id, tenantId)).get();
  return row ? toDetail(row) : null;
}

/** The shard map's keys, for the console's move form. */
export async function shardKeys(env: KuraEnv): Promise<string[]> {
  const rows = await controlDb(env).select({ key: shards.key }).from(shards).orderBy(asc(shards.key)).all();
  return rows.map((r) => r.key);
}

/** The contract's admin contact (the console shows it; null once a purge has removed it). */
export async function tenantAdminContact(env: KuraEnv, tenantId: string): Promise<string | null> {
  const row = await controlDb(env).select({ adminEmail: tenants.adminEmail }).from(tenants).where(eq(tenants.id, tenantId)).get();
  return row?.adminEmail || null;
}

/**
 * The operator changes a tenant's contract (API and console): its storage quota (read at every
 * upload, so it holds from the next one) and its admin contact. 404 for an unknown tenant, 409
 * once only the certificate's facts are left. The operator log names the terms changed and the
 * quota, never the contact address.
 */
export async function updateTenantContract(context: KuraContext, tenantId: string, patch: UpdateTenantContract): Promise<TenantDetail> {
  const [updated] = await controlDb(context.env)
    .update(tenants)
    .set({
      ...(patch.storageQuotaBytes !== undefined ? { storageQuotaBytes: patch.storageQuotaBytes } : {}),
      ...(patch.adminEmail !== undefined ? { adminEmail: patch.adminEmail } : {}),
    })
    .where(and(eq(tenants.id, tenantId), ne(tenants.status, "purged")))
    .returning();
  if (!updated) {
    const exists = await controlDb(context.env).select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).get();
    fail(exists ? "conflict" : "not_found", exists ? "The tenant is purged." : "No such tenant.");
  }
  await recordOperatorAction(context, {
    action: "tenant.contract_updated",
    targetType: "tenant",
    targetId: tenantId,
    details: { fields: Object.keys(patch).sort(), ...(patch.storageQuotaBytes !== undefined ? { storageQuotaBytes: patch.storageQuotaBytes } : {}) },
  });
  return toDetail(updated);
}

/** Oldest first; the cursor is the (createdAt, id) of the last item. */
export async function listTenants(env: KuraEnv, page: { limit: number; cursor?: string }) {
  const after = page.cursor ? decodeCursor(page.cursor, ["createdAt", "id"]) : null;
  const rows = await controlDb(env)
    .select()
    .from(tenants)
    .where(after ? or(gt(tenants.createdAt, after.createdAt), and(eq(tenants.createdAt, after.createdAt), gt(tenants.id, after.id))) : undefined)
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
