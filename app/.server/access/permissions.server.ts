import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { inJsonArray } from "../db/chunks.server";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { AuditContext } from "../audit/record.server";
import { groupMembers, projectGrants, projects, roles } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { denyAccess } from "../audit/deny.server";
import { BUILT_IN_ROLES, CAPABILITIES, isBuiltInRole, isCapability, type Capability } from "~/policy/capabilities";
import type { TenantPrincipal } from "~/policy/access";

/** The project guard's context: the request's, with what the route guard already opened or read. */
type Ctx = AuditContext & { tenant?: TenantData | undefined; prefetched?: PrefetchedProjectReads | undefined };

/** Enough of a tenant to build statements confined to it. */
export type TenantScope = Pick<TenantData, "tenantId" | "db">;

export function requireTenantPrincipal(ctx: Ctx): TenantPrincipal {
  if (ctx.principal.type !== "tenant_user") fail("unauthenticated", "Sign in first.");
  return ctx.principal;
}

/** For routes open to every tenant user where one method is for admins only. */
export async function requireTenantAdmin(ctx: Ctx, what: string): Promise<TenantPrincipal> {
  const principal = requireTenantPrincipal(ctx);
  if (principal.tenantRole !== "tenant_admin") {
    await denyAccess(ctx, {
      code: "forbidden",
      message: "Only tenant administrators may do this.",
      target: { type: "tenant", id: principal.tenantId },
      details: { required: "tenant_admin", what },
    });
  }
  return principal;
}

/**
 * Adds what one role grants: a built-in role's fixed set, or a custom role's
 * stored permissions (JSON; null when the role no longer exists, which grants nothing).
 */
function addRoleCapabilities(caps: Set<Capability>, roleKey: string, customPermissions: string | null): void {
  const granted = isBuiltInRole(roleKey) ? BUILT_IN_ROLES[roleKey] : customPermissions ? (JSON.parse(customPermissions) as string[]) : [];
  for (const c of granted) if (isCapability(c)) caps.add(c);
}

/** Capabilities of a role key: built-in, or a custom role of this tenant. */
export async function roleCapabilities(data: TenantData, roleKeys: string[]): Promise<Set<Capability>> {
  const caps = new Set<Capability>();
  const custom = roleKeys.filter((key) => !isBuiltInRole(key));
  for (const key of roleKeys) if (isBuiltInRole(key)) addRoleCapabilities(caps, key, null);
  if (custom.length > 0) {
    const rows = await data.db
      .select({ id: roles.id, permissions: roles.permissions })
      .from(roles)
      .where(and(eq(roles.tenantId, data.tenantId), inJsonArray(roles.id, custom)))
      .all();
    for (const row of rows) addRoleCapabilities(caps, row.id, row.permissions);
  }
  return caps;
}

/**
 * The user's grants on the project, directly and through every group the
 * user is in, each with its custom role's permissions (null for a built-in
 * role). One statement, so it can share a batch with the project lookup.
 */
function grantsStatement(data: TenantScope, userId: string | SQL, projectId: string) {
  const memberOf = data.db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, data.tenantId), eq(groupMembers.userId, userId)));
  return data.db
    .select({ role: projectGrants.role, permissions: roles.permissions })
    .from(projectGrants)
    .leftJoin(roles, and(eq(roles.tenantId, projectGrants.tenantId), eq(roles.id, projectGrants.role)))
    .where(
      and(
        eq(projectGrants.tenantId, data.tenantId),
        eq(projectGrants.projectId, projectId),
        or(
          and(eq(projectGrants.principalType, "user"), eq(projectGrants.principalId, userId)),
          and(eq(projectGrants.principalType, "group"), inArray(projectGrants.principalId, memberOf)),
        ),
      ),
    );
}

/**
 * The union of the roles granted. null = no grant at all (the project is
 * invisible to the user). A grant of a custom role that no longer exists
 * gives nothing.
 */
function capabilitiesOfGrants(grants: { role: string; permissions: string | null }[]): Set<Capability> | null {
  if (grants.length === 0) return null;
  const caps = new Set<Capability>();
  for (const grant of grants) addRoleCapabilities(caps, grant.role, grant.permissions);
  return caps;
}

export type ProjectAccess = { data: TenantData; principal: TenantPrincipal; project: typeof projects.$inferSelect; capabilities: Set<Capability> };

type Statement = BatchItem<"sqlite">;
type Inside = { target: { type: string; id: string }; notFound: string };
type ProjectRow = typeof projects.$inferSelect;
type GrantRow = { role: string; permissions: string | null };

/**
 * Reads of one project's data that go into the guard's batch. Batched rows
 * come back from D1 as objects keyed by column name, so a read must not
 * select two columns of the same name (see credentialUserColumns).
 */
export type ProjectReads<T extends readonly Statement[] = readonly Statement[]> = (scope: TenantScope) => T;

/**
 * Reads a route may also prefetch (ADR 0014). `key` names them: equal keys
 * must mean equal statements, so it is made from everything the reads are
 * built from (the parsed query), and the handler finds the guard's results
 * by it without building the statements again.
 */
export type KeyedReads<T extends readonly Statement[] = readonly Statement[]> = { key: string; reads: ProjectReads<T> };

/**
 * What a route lets its guard read in the credential's own D1 batch (ADR
 * 0014): the project, and keyed reads of that project's data, so that
 * checking the credential, checking project access and reading the page cost
 * one round trip. Returning null means "nothing to read early" (e.g. the
 * query string is invalid, which the handler reports).
 */
export type ProjectPrefetch = KeyedReads & { projectId: string };
export type RoutePrefetch = (args: { request: Request; params: Record<string, string | undefined> }) => ProjectPrefetch | null;

/** The results of a ProjectPrefetch, read after the credential was verified in the same batch. */
export type PrefetchedProjectReads = {
  tenantId: string;
  projectId: string;
  key: string;
  project: ProjectRow[];
  grants: GrantRow[];
  results: unknown[];
};

/** The project row, confined to the tenant. */
function projectStatement(data: TenantScope, projectId: string) {
  return data.db
    .select()
    .from(projects)
    .where(and(eq(projects.tenantId, data.tenantId), eq(projects.id, projectId)));
}

/**
 * The guard's statements for a project (the project, the user's grants on it)
 * followed by the reads. The user is given as SQL when the route guard reads
 * them before it knows the user: the user of the credential being checked.
 */
export function projectAccessStatements(data: TenantScope, projectId: string, userId: string | SQL, reads: ProjectReads): readonly Statement[] {
  return [projectStatement(data, projectId), grantsStatement(data, userId, projectId), ...reads(data)];
}

/** The prefetched results when they are for this very tenant, project and reads; else null. */
function prefetchedFor(ctx: Ctx, tenantId: string, projectId: string, key: string | null): PrefetchedProjectReads | null {
  const pre = ctx.prefetched;
  return pre && key !== null && pre.key === key && pre.tenantId === tenantId && pre.projectId === projectId ? pre : null;
}

/**
 * The one project guard, used by every project-scoped UI and API route:
 * 404 when the project is not in the caller's tenant or the caller has no
 * grant on it (its existence is not revealed), 403 when the caller sees the
 * project but lacks the capability.
 */
export async function requireProjectPermission(
  ctx: Ctx,
  projectId: string,
  capability: Capability | null,
  /** For things inside a project (an asset, a folder): the 404 must name the thing asked for, not reveal its project. */
  inside?: Inside,
): Promise<ProjectAccess> {
  return (await requireProjectPermissionWith(ctx, projectId, capability, () => [] as const, inside)).access;
}

/**
 * requireProjectPermission, with reads of the project's own data sent in the
 * same D1 batch as the access check (one round trip). The reads run before
 * the check is decided, so they must only read, and must be confined to the
 * caller's tenant and this project; their results are returned only when
 * access is granted, and thrown away otherwise. When the route guard already
 * read the same statements with the credential (ADR 0014), those results are
 * used and nothing is sent again; the decision below is the same either way.
 */
export async function requireProjectPermissionWith<T extends readonly Statement[]>(
  ctx: Ctx,
  projectId: string,
  capability: Capability | null,
  reads: ProjectReads<T> | KeyedReads<T>,
  inside?: Inside,
): Promise<{ access: ProjectAccess; results: BatchResponse<T> }> {
  const principal = requireTenantPrincipal(ctx);
  const data = await tenantData(ctx);
  const isAdmin = principal.tenantRole === "tenant_admin";
  const keyed = typeof reads === "function" ? { key: null, reads } : reads;
  let found: ProjectRow | undefined;
  let grants: GrantRow[] = [];
  let results: unknown[];
  const prefetched = prefetchedFor(ctx, data.tenantId, projectId, keyed.key);
  if (prefetched) {
    [found] = prefetched.project;
    grants = prefetched.grants;
    results = prefetched.results;
  } else {
    const project = projectStatement(data, projectId);
    const extra = keyed.reads(data);
    // Tenant admins need no grants, so theirs are not read.
    const statements = (isAdmin ? [project, ...extra] : [project, grantsStatement(data, principal.userId, projectId), ...extra]) as unknown as readonly [
      Statement,
      ...Statement[],
    ];
    const out = (await data.db.batch(statements)) as unknown as unknown[];
    found = (out[0] as ProjectRow[])[0];
    if (!isAdmin) grants = out[1] as GrantRow[];
    results = out.slice(isAdmin ? 1 : 2);
  }
  const target = inside?.target ?? { type: "project", id: projectId };
  const notFound = inside?.notFound ?? "No such project.";
  if (!found) {
    return denyAccess(ctx, { code: "not_found", message: notFound, target, details: { reason: "not_in_tenant", capability } });
  }
  // Tenant admins hold every capability.
  const capabilities = isAdmin ? new Set(CAPABILITIES) : capabilitiesOfGrants(grants);
  if (!capabilities) {
    return denyAccess(ctx, { code: "not_found", message: notFound, target, details: { reason: "no_grant", capability } });
  }
  if (capability && !capabilities.has(capability)) {
    return denyAccess(ctx, { code: "forbidden", message: `Your role in this project does not allow ${capability}.`, target, details: { capability } });
  }
  return { access: { data, principal, project: found, capabilities }, results: results as unknown as BatchResponse<T> };
}

/** Tenant admin, or a user holding `project.manage_members` on the project. */
export async function requireProjectMemberManager(ctx: Ctx, projectId: string): Promise<ProjectAccess> {
  return requireProjectPermission(ctx, projectId, "project.manage_members");
}

/**
 * The guard of a project page's action: the button's intent must be one of
 * the page's (else 400, after the plain project check so that an outsider
 * still gets 404), and the caller must hold the capability it needs, all
 * before the form is read any further.
 */
export async function requireProjectIntent<I extends string>(ctx: Ctx, projectId: string, formData: FormData, needs: Record<I, Capability>): Promise<I> {
  const intent = formData.get("intent");
  if (typeof intent !== "string" || !Object.hasOwn(needs, intent)) {
    await requireProjectPermission(ctx, projectId, null);
    fail("bad_request", "Unknown action.");
  }
  await requireProjectPermission(ctx, projectId, needs[intent as I]);
  return intent as I;
}
