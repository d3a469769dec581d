/**
 * A populated pair of tenants for authorization tests, built only through
 * the public API (the same paths a customer uses):
 *
 *   tenant A: tenantAdmin; projectAdmin, member, viewer and custom ("Reviewer")
 *             on project P1; otherProject = member of P2 only
 *   tenant B: otherTenantAdmin
 */
import { env } from "cloudflare:test";
import { generateTOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { call, kura } from "./http";
import { shardOf } from "./shards";

export const PRINCIPALS = ["anonymous", "tenantAdmin", "projectAdmin", "member", "viewer", "custom", "otherProject", "otherTenantAdmin", "operator"] as const;

export type Who = (typeof PRINCIPALS)[number];
export type UserWho = Exclude<Who, "anonymous" | "operator">;

export const PASSWORD = "matrix-correct-horse-42";
export const CUSTOM_ROLE_PERMISSIONS = ["asset.view", "asset.download_proxy", "marker.edit"] as const;

export type Account = { id: string; email: string; tenantSlug: string; token: string };

export type World = {
  tenantA: { id: string; slug: string };
  tenantB: { id: string; slug: string };
  users: Record<UserWho, Account>;
  p1: string;
  p2: string;
  customRoleId: string;
  /** Sends a request as the tenant admin of A (for preparing targets). */
  asAdmin: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;
};

export async function expectJson<T>(res: Response | Promise<Response>, status: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export function login(tenantSlug: string, email: string, password = PASSWORD, otp?: string): Promise<string> {
  return kura.login(tenantSlug, email, password, otp);
}

/** A fresh session token, for cases that revoke or change the caller's own credential. */
export function freshToken(account: Account): Promise<string> {
  return login(account.tenantSlug, account.email);
}

export function totpNow(secretBase32: string): string {
  return generateTOTP(decodeBase32IgnorePadding(secretBase32), 30, 6);
}

async function newTenant(slug: string): Promise<{ id: string; slug: string; adminToken: string; adminId: string; adminEmail: string }> {
  const t = await kura.createTenant({ slug, password: PASSWORD });
  return { id: t.id, slug, adminToken: t.admin.token, adminId: t.admin.id, adminEmail: t.admin.email };
}

/** Invites a user through the API and sets their password with the setup token. */
export function addUser(adminToken: string, tenantSlug: string, email: string, tenantRole: "tenant_admin" | "user" = "user"): Promise<Account> {
  return kura.addUser(adminToken, tenantSlug, { email, password: PASSWORD, tenantRole });
}

export function grant(adminToken: string, projectId: string, userId: string, role: string): Promise<void> {
  return kura.grant(adminToken, projectId, userId, role);
}

export async function buildWorld(prefix: string): Promise<World> {
  const a = await newTenant(`${prefix}-a`);
  const b = await newTenant(`${prefix}-b`);
  const users = {} as Record<UserWho, Account>;
  // Reads the admin's current token at call time: a case may replace it.
  const asAdmin = (path: string, init: RequestInit & { json?: unknown } = {}) => call(path, { ...init, token: users.tenantAdmin.token });
  users.tenantAdmin = { id: a.adminId, email: a.adminEmail, tenantSlug: a.slug, token: a.adminToken };
  const project = async (name: string) => (await expectJson<{ id: string }>(asAdmin("/api/v1/projects", { method: "POST", json: { name } }), 201)).id;
  const p1 = await project("P1 渋谷ロケ");
  const p2 = await project("P2");
  const customRoleId = (
    await expectJson<{ id: string }>(asAdmin("/api/v1/roles", { method: "POST", json: { name: "Reviewer", permissions: [...CUSTOM_ROLE_PERMISSIONS] } }), 201)
  ).id;
  const user = (name: string) => addUser(a.adminToken, a.slug, `${name}@${a.slug}.example`);
  const [projectAdmin, member, viewer, custom, otherProject] = (await Promise.all(["padmin", "member", "viewer", "reviewer", "outsider"].map(user))) as [
    Account,
    Account,
    Account,
    Account,
    Account,
  ];
  await grant(a.adminToken, p1, projectAdmin.id, "project_admin");
  await grant(a.adminToken, p1, member.id, "member");
  await grant(a.adminToken, p1, viewer.id, "viewer");
  await grant(a.adminToken, p1, custom.id, customRoleId);
  await grant(a.adminToken, p2, otherProject.id, "member");
  return {
    tenantA: { id: a.id, slug: a.slug },
    tenantB: { id: b.id, slug: b.slug },
    users: Object.assign(users, {
      projectAdmin,
      member,
      viewer,
      custom,
      otherProject,
      otherTenantAdmin: { id: b.adminId, email: b.adminEmail, tenantSlug: b.slug, token: b.adminToken },
    }),
    p1,
    p2,
    customRoleId,
    asAdmin,
  };
}

/** Columns that legitimately move on reads (sliding session expiry, last use). */
const VOLATILE = new Set(["last_seen_at", "last_used_at"]);

/**
 * Every row the tenant owns, in both planes (its tenant-data tables, its
 * control-plane record and its e-mail), minus volatile columns: equal
 * snapshots before and after a request mean the request changed nothing.
 */
export async function snapshotTenant(tenantId: string): Promise<string> {
  const db = await shardOf(tenantId);
  const tables = await snapshotTables(db);
  // One batch per plane: the matrix takes two snapshots per case, and a round
  // trip per table made them most of its run time.
  const [tenantRows, controlRows] = await Promise.all([
    db.batch(tables.map((name) => db.prepare(`SELECT * FROM "${name}" WHERE tenant_id = ? ORDER BY rowid`).bind(tenantId))),
    env.CONTROL_DB.batch([
      env.CONTROL_DB.prepare("SELECT * FROM tenants WHERE id = ?").bind(tenantId),
      env.CONTROL_DB.prepare("SELECT id FROM email_outbox WHERE tenant_id = ? ORDER BY id").bind(tenantId),
    ]),
  ]);
  const out: Record<string, unknown[]> = {};
  tables.forEach((name, i) => {
    const rows = tenantRows[i]!.results as Record<string, unknown>[];
    out[name] = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k))));
  });
  out.control_tenant = controlRows[0]!.results;
  out.control_mail = controlRows[1]!.results;
  return JSON.stringify(out);
}

const tablesByShard = new WeakMap<D1Database, Promise<string[]>>();

/** The shard's tenant tables a snapshot compares (read once per shard binding). */
function snapshotTables(db: D1Database): Promise<string[]> {
  let tables = tablesByShard.get(db);
  if (!tables) {
    tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'd1_%' ORDER BY name",
      )
      .all<{ name: string }>()
      .then((r) =>
        r.results
          .map((t) => t.name)
          // Audit events pass through audit_outbox on their way to the log (checked by the audit
          // tests); the full-text index and its shadow tables derive from assets.search_text.
          .filter((name) => name !== "audit_outbox" && name !== "assets_fts" && !name.startsWith("assets_fts_")),
      );
    tablesByShard.set(db, tables);
  }
  return tables;
}

/** The newest audit events of a tenant's log (read straight from its Durable Object). */
export async function auditTail(tenantId: string, limit = 20): Promise<{ seq: number; action: string; outcome: string }[]> {
  const page = await env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenantId)).query({ limit });
  return page.items.map((e) => ({ seq: e.seq, action: e.action, outcome: e.outcome }));
}
