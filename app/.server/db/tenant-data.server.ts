import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { KuraEnv } from "../env/env";
import type { Principal } from "~/policy/access";
import { fail } from "../http/errors.server";
import { controlDb } from "./control.server";
import { shards } from "./control-schema";
import * as schema from "./tenant-schema";

/**
 * The one door to the tenant-data plane. The tenant comes from the
 * authenticated principal (never from a URL, body or header), and its
 * database is found through the control plane's shard map, so placing a
 * tenant on a second shard is a row and a binding, not code.
 */

export type TenantDb = ReturnType<typeof newTenantDb>;
export type TenantData = {
  readonly tenantId: string;
  readonly tenant: { readonly id: string; readonly slug: string; readonly name: string };
  readonly db: TenantDb;
};

function newTenantDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/**
 * One drizzle instance per D1 binding: building one walks the whole schema
 * (about 0.2 ms of CPU, profiled), and it holds nothing per request.
 */
const tenantDbs = new WeakMap<D1Database, ReturnType<typeof newTenantDb>>();

function drizzleTenant(d1: D1Database) {
  let db = tenantDbs.get(d1);
  if (!db) {
    db = newTenantDb(d1);
    tenantDbs.set(d1, db);
  }
  return db;
}

function isD1(value: unknown): value is D1Database {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as D1Database).prepare === "function" &&
    typeof (value as D1Database).batch === "function"
  );
}

/** Resolves a shard key to its D1 binding, by the name stored in `shards`. */
export async function shardDatabase(env: KuraEnv, shardKey: string): Promise<D1Database> {
  const row = await controlDb(env).select().from(shards).where(eq(shards.key, shardKey)).get();
  if (!row) throw new Error(`Unknown tenant-data shard "${shardKey}"`);
  return bindingOf(env, shardKey, row.binding);
}

/** Every configured shard with its database (status checks, backups). */
export async function allShardDatabases(env: KuraEnv): Promise<{ key: string; db: D1Database }[]> {
  const rows = await controlDb(env).select().from(shards).all();
  return Promise.all(rows.map(async (r) => ({ key: r.key, db: await shardDatabase(env, r.key) })));
}

function bindingOf(env: KuraEnv, shardKey: string, binding: string): D1Database {
  const value = (env as unknown as Record<string, unknown>)[binding];
  if (!isD1(value)) throw new Error(`Shard "${shardKey}" names binding "${binding}", which is not a D1 database`);
  return value;
}

type Placement = { shardKey: string; binding: string };
type TenantRow = { id: string; slug: string; name: string; status: string } & Placement;

/**
 * The tenant and its shard in one control-plane query. Every authenticated
 * request runs it, so it is a fixed statement handed to D1 as it is, not
 * rebuilt by the query builder each time (that was a measurable share of a
 * request's CPU, profiled for ADR 0014). Same columns as control-schema.ts.
 */
const TENANT_WITH_SHARD = `SELECT t.id AS id, t.slug AS slug, t.name AS name, t.status AS status, t.shard_key AS shardKey, s.binding AS binding
  FROM tenants t JOIN shards s ON s.key = t.shard_key`;
const TENANT_BY_ID = `${TENANT_WITH_SHARD} WHERE t.id = ?`;
const TENANT_BY_SLUG = `${TENANT_WITH_SHARD} WHERE t.slug = ?`;

async function lookUpTenant(env: KuraEnv, where: { id: string } | { slug: string }): Promise<TenantRow | null> {
  const statement = "id" in where ? env.CONTROL_DB.prepare(TENANT_BY_ID).bind(where.id) : env.CONTROL_DB.prepare(TENANT_BY_SLUG).bind(where.slug);
  const row = await statement.first<TenantRow>();
  if (row) rememberPlacement(row.id, row);
  return row ?? null;
}

function opened(env: KuraEnv, tenant: TenantRow): TenantData {
  return {
    tenantId: tenant.id,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    db: drizzleTenant(bindingOf(env, tenant.shardKey, tenant.binding)),
  };
}

async function openTenant(env: KuraEnv, where: { id: string } | { slug: string }): Promise<TenantData | null> {
  const tenant = await lookUpTenant(env, where);
  return tenant && tenant.status === "active" ? opened(env, tenant) : null;
}

/**
 * Where each tenant's data lives, remembered per isolate. Only the placement
 * is remembered, never the status, slug or name: those are read from the
 * control plane on every request, so suspending or terminating a tenant
 * still takes effect on the next request. A placement is fixed when the
 * tenant is provisioned; should one ever change, the control-plane row read
 * alongside shows it and the work is redone on the right shard.
 */
const placements = new Map<string, Placement>();
const MAX_REMEMBERED_PLACEMENTS = 10_000;

function rememberPlacement(tenantId: string, placement: Placement): void {
  if (placements.size >= MAX_REMEMBERED_PLACEMENTS && !placements.has(tenantId)) placements.clear();
  placements.set(tenantId, { shardKey: placement.shardKey, binding: placement.binding });
}

/**
 * Opens the tenant named inside a credential and runs `read` (a read-only
 * lookup of that credential) on its database. When the tenant's shard is
 * already known, the control-plane check runs at the same time as `read`:
 * one round trip instead of two. `read`'s result is returned only for an
 * active tenant, and only if it ran on the tenant's current shard.
 */
async function openTenantWith<T>(env: KuraEnv, tenantId: string, read: (db: TenantDb) => Promise<T>): Promise<{ data: TenantData; result: T } | null> {
  const known = placements.get(tenantId);
  if (!known) {
    const data = await openTenant(env, { id: tenantId });
    return data ? { data, result: await read(data.db) } : null;
  }
  const [tenant, early] = await Promise.all([lookUpTenant(env, { id: tenantId }), read(drizzleTenant(bindingOf(env, known.shardKey, known.binding)))]);
  if (!tenant || tenant.status !== "active") return null;
  const data = opened(env, tenant);
  const sameShard = tenant.shardKey === known.shardKey && tenant.binding === known.binding;
  return { data, result: sameShard ? early : await read(data.db) };
}

/** For request handlers: the signed-in user's own tenant, nothing else. */
export async function tenantData(context: { env: KuraEnv; principal: Principal; tenant?: TenantData | undefined }): Promise<TenantData> {
  const { principal } = context;
  if (principal.type !== "tenant_user") fail("unauthenticated", "Sign in to a tenant first.");
  // Opened (and found active) by the guard while authenticating this very request.
  if (context.tenant && context.tenant.tenantId === principal.tenantId) return context.tenant;
  const data = await openTenant(context.env, { id: principal.tenantId });
  // A terminated tenant's sessions stop working at once.
  if (!data) fail("unauthenticated", "This tenant is not active.");
  return data;
}

/**
 * For provisioning and scheduled jobs, which act on a tenant named by the
 * control plane rather than by a signed-in user. Never call it with an id
 * taken from a tenant user's request.
 */
export async function systemTenantData(env: KuraEnv, tenantId: string): Promise<TenantData | null> {
  return openTenant(env, { id: tenantId });
}

/**
 * For authentication only: before anyone is signed in, the tenant can only
 * come from what the client presents (the login's tenant slug, or the tenant
 * id inside a token, which is then verified against its stored hash).
 */
export const tenantDataForAuthentication = {
  bySlug: (env: KuraEnv, slug: string) => openTenant(env, { slug }),
  byTokenTenant: (env: KuraEnv, tenantId: string) => openTenant(env, { id: tenantId }),
  /** byTokenTenant, reading the credential's own row alongside (see openTenantWith). */
  byTokenTenantWith: openTenantWith,
};

export { drizzleTenant as tenantDbFor };
