import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { KuraEnv } from "../env/env";
import type { Principal } from "~/policy/access";
import { fail } from "../http/errors.server";
import { controlDb } from "./control.server";
import { onePer } from "../memo.server";
import { d1For, isD1 } from "./d1-limits.server";
import { shards } from "./control-schema";
import * as schema from "./tenant-schema";
import { tenantStorageFor, type TenantStorage } from "../storage/keys.server";

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
  /** The tenant's part of the ASSETS bucket: every key is confined to tenants/<tenantId>/. */
  readonly storage: TenantStorage;
};

function newTenantDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/**
 * One drizzle instance per D1 binding: building one walks the whole schema
 * (about 0.2 ms of CPU, profiled), and it holds nothing per request.
 */
const drizzleTenant = onePer(newTenantDb);

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
  return d1For(env, value);
}

type Placement = { shardKey: string; binding: string };
type TenantRow = { id: string; slug: string; name: string; status: string; movingTo: string | null } & Placement;

/**
 * The tenant and its shard in one control-plane query: a fixed statement
 * handed to D1 as it is, not rebuilt by the query builder each time (that was
 * a measurable share of a request's CPU, profiled for ADR 0014). Same columns
 * as control-schema.ts.
 */
const TENANT_WITH_SHARD = `SELECT t.id AS id, t.slug AS slug, t.name AS name, t.status AS status, t.moving_to AS movingTo, t.shard_key AS shardKey, s.binding AS binding
  FROM tenants t JOIN shards s ON s.key = t.shard_key`;
const TENANT_BY_ID = `${TENANT_WITH_SHARD} WHERE t.id = ?`;
const TENANT_BY_SLUG = `${TENANT_WITH_SHARD} WHERE t.slug = ?`;

async function lookUpTenant(env: KuraEnv, where: { id: string } | { slug: string }): Promise<TenantRow | null> {
  const control = d1For(env, env.CONTROL_DB);
  const statement = "id" in where ? control.prepare(TENANT_BY_ID).bind(where.id) : control.prepare(TENANT_BY_SLUG).bind(where.slug);
  const row = await statement.first<TenantRow>();
  if (row && row.status === "active") rememberTenant(row);
  return row ?? null;
}

function opened(env: KuraEnv, tenant: KnownTenant): TenantData {
  return {
    tenantId: tenant.id,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    db: drizzleTenant(bindingOf(env, tenant.shardKey, tenant.binding)),
    storage: tenantStorageFor(env.ASSETS, tenant.id),
  };
}

/**
 * The tenant, if active. `forSignIn` also refuses a tenant being moved to another shard (ADR
 * 0028): its credentials are refused by the old shard's mirror meanwhile, and a sign-in there
 * would make a session the move leaves behind. Jobs still open it.
 */
async function openTenant(env: KuraEnv, where: { id: string } | { slug: string }, forSignIn = false): Promise<TenantData | null> {
  const tenant = await lookUpTenant(env, where);
  if (!tenant || tenant.status !== "active" || (forSignIn && tenant.movingTo)) return null;
  return opened(env, tenant);
}

/**
 * What changes about a tenant only by a move (its shard, ADR 0028) or never
 * (its id, slug and name: the contract has no rename), remembered per
 * isolate so that a request can go straight to the tenant's shard. Never its
 * status: that is read on every request, from the shard's mirror (ADR 0015).
 * A move leaves no row of the tenant on its old shard, so a credential read
 * there finds nothing, and openTenantWith then asks the control plane again.
 */
type KnownTenant = { id: string; slug: string; name: string } & Placement;
const knownTenants = new Map<string, KnownTenant>();
const MAX_KNOWN_TENANTS = 10_000;

function rememberTenant(row: KnownTenant): void {
  if (knownTenants.size >= MAX_KNOWN_TENANTS && !knownTenants.has(row.id)) knownTenants.clear();
  knownTenants.set(row.id, { id: row.id, slug: row.slug, name: row.name, shardKey: row.shardKey, binding: row.binding });
}

/**
 * Opens the tenant named inside a credential and runs `read`, the lookup of
 * that credential, on its shard. `read` must refuse the credential unless the
 * shard's mirror of the tenant's status (tenant_settings.status) is active:
 * once the tenant is known to this isolate, that mirror is the only status
 * check, and it costs nothing extra because it is part of the same statement
 * (ADR 0015). The first time, the control plane is asked (and must say
 * active) before the shard is read. When `missed` says the read found
 * nothing on a remembered placement, the tenant may have moved to another
 * shard since (ADR 0028): the control plane is asked once, and the read runs
 * again only if the placement it names is a different one.
 */
async function openTenantWith<T>(
  env: KuraEnv,
  tenantId: string,
  read: (db: TenantDb) => Promise<T>,
  missed: (result: T) => boolean = () => false,
): Promise<{ data: TenantData; result: T } | null> {
  const known = knownTenants.get(tenantId);
  if (known) {
    const data = opened(env, known);
    const result = await read(data.db);
    if (!missed(result)) return { data, result };
    forgetTenant(tenantId);
    const current = await lookUpTenant(env, { id: tenantId });
    if (!current || current.status !== "active" || current.shardKey === known.shardKey) return { data, result };
    const moved = opened(env, current);
    return { data: moved, result: await read(moved.db) };
  }
  const data = await openTenant(env, { id: tenantId }, true);
  return data ? { data, result: await read(data.db) } : null;
}

function forgetTenant(tenantId: string): void {
  knownTenants.delete(tenantId);
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
  bySlug: (env: KuraEnv, slug: string) => openTenant(env, { slug }, true),
  byTokenTenant: (env: KuraEnv, tenantId: string) => openTenant(env, { id: tenantId }, true),
  /** byTokenTenant, with the credential's own lookup, which must check the tenant's status mirror (see openTenantWith). */
  byTokenTenantWith: openTenantWith,
  forget: forgetTenant,
};

export { drizzleTenant as tenantDbFor };
