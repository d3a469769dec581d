import { and, eq, inArray, or } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { AuditContext } from "../audit/record.server";
import { groupMembers, projectGrants, projects, roles } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { denyAccess } from "../audit/deny.server";
import { BUILT_IN_ROLES, CAPABILITIES, isBuiltInRole, isCapability, type Capability } from "~/policy/capabilities";
import type { TenantPrincipal } from "~/policy/access";

type Ctx = AuditContext;

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
      .where(and(eq(roles.tenantId, data.tenantId), inArray(roles.id, custom)))
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
function grantsStatement(data: TenantData, principal: TenantPrincipal, projectId: string) {
  const memberOf = data.db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, data.tenantId), eq(groupMembers.userId, principal.userId)));
  return data.db
    .select({ role: projectGrants.role, permissions: roles.permissions })
    .from(projectGrants)
    .leftJoin(roles, and(eq(roles.tenantId, projectGrants.tenantId), eq(roles.id, projectGrants.role)))
    .where(
      and(
        eq(projectGrants.tenantId, data.tenantId),
        eq(projectGrants.projectId, projectId),
        or(
          and(eq(projectGrants.principalType, "user"), eq(projectGrants.principalId, principal.userId)),
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
 * access is granted, and thrown away otherwise.
 */
export async function requireProjectPermissionWith<T extends readonly Statement[]>(
  ctx: Ctx,
  projectId: string,
  capability: Capability | null,
  reads: (data: TenantData) => T,
  inside?: Inside,
): Promise<{ access: ProjectAccess; results: BatchResponse<T> }> {
  const principal = requireTenantPrincipal(ctx);
  const data = await tenantData(ctx);
  const isAdmin = principal.tenantRole === "tenant_admin";
  const project = data.db.select().from(projects).where(and(eq(projects.tenantId, data.tenantId), eq(projects.id, projectId)));
  const extra = reads(data);
  const statements = (isAdmin ? [project, ...extra] : [project, grantsStatement(data, principal, projectId), ...extra]) as unknown as readonly [Statement, ...Statement[]];
  const out = (await data.db.batch(statements)) as unknown as unknown[];
  const found = (out[0] as (typeof projects.$inferSelect)[])[0];
  const target = inside?.target ?? { type: "project", id: projectId };
  const notFound = inside?.notFound ?? "No such project.";
  if (!found) {
    return denyAccess(ctx, { code: "not_found", message: notFound, target, details: { reason: "not_in_tenant", capability } });
  }
  // Tenant admins hold every capability.
  const capabilities = isAdmin ? new Set(CAPABILITIES) : capabilitiesOfGrants(out[1] as { role: string; permissions: string | null }[]);
  if (!capabilities) {
    return denyAccess(ctx, { code: "not_found", message: notFound, target, details: { reason: "no_grant", capability } });
  }
  if (capability && !capabilities.has(capability)) {
    return denyAccess(ctx, { code: "forbidden", message: `Your role in this project does not allow ${capability}.`, target, details: { capability } });
  }
  return { access: { data, principal, project: found, capabilities }, results: out.slice(isAdmin ? 1 : 2) as unknown as BatchResponse<T> };
}

/** Tenant admin, or a user holding `project.manage_members` on the project. */
export async function requireProjectMemberManager(ctx: Ctx, projectId: string): Promise<ProjectAccess> {
  return requireProjectPermission(ctx, projectId, "project.manage_members");
}
