import { and, eq, inArray, or } from "drizzle-orm";
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

/** Capabilities of a role key: built-in, or a custom role of this tenant. */
export async function roleCapabilities(data: TenantData, roleKeys: string[]): Promise<Set<Capability>> {
  const caps = new Set<Capability>();
  const custom: string[] = [];
  for (const key of roleKeys) {
    if (isBuiltInRole(key)) BUILT_IN_ROLES[key].forEach((c) => caps.add(c));
    else custom.push(key);
  }
  if (custom.length > 0) {
    const rows = await data.db
      .select({ permissions: roles.permissions })
      .from(roles)
      .where(and(eq(roles.tenantId, data.tenantId), inArray(roles.id, custom)))
      .all();
    for (const row of rows) {
      for (const c of JSON.parse(row.permissions) as string[]) if (isCapability(c)) caps.add(c);
    }
  }
  return caps;
}

/**
 * The union of the roles granted on the project to the user directly and to
 * every group the user is in. Tenant admins hold every capability.
 * null = the user has no grant at all (the project is invisible to them).
 */
export async function effectiveProjectCapabilities(
  data: TenantData,
  principal: TenantPrincipal,
  projectId: string,
): Promise<Set<Capability> | null> {
  if (principal.tenantRole === "tenant_admin") return new Set(CAPABILITIES);
  const memberOf = data.db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, data.tenantId), eq(groupMembers.userId, principal.userId)));
  const grants = await data.db
    .select({ role: projectGrants.role })
    .from(projectGrants)
    .where(
      and(
        eq(projectGrants.tenantId, data.tenantId),
        eq(projectGrants.projectId, projectId),
        or(
          and(eq(projectGrants.principalType, "user"), eq(projectGrants.principalId, principal.userId)),
          and(eq(projectGrants.principalType, "group"), inArray(projectGrants.principalId, memberOf)),
        ),
      ),
    )
    .all();
  if (grants.length === 0) return null;
  return roleCapabilities(data, grants.map((g) => g.role));
}

export type ProjectAccess = { data: TenantData; principal: TenantPrincipal; project: typeof projects.$inferSelect; capabilities: Set<Capability> };

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
  inside?: { target: { type: string; id: string }; notFound: string },
): Promise<ProjectAccess> {
  const principal = requireTenantPrincipal(ctx);
  const data = await tenantData(ctx);
  const project = await data.db.select().from(projects).where(and(eq(projects.tenantId, data.tenantId), eq(projects.id, projectId))).get();
  const target = inside?.target ?? { type: "project", id: projectId };
  const notFound = inside?.notFound ?? "No such project.";
  if (!project) {
    return denyAccess(ctx, { code: "not_found", message: notFound, target, details: { reason: "not_in_tenant", capability } });
  }
  const capabilities = await effectiveProjectCapabilities(data, principal, projectId);
  if (!capabilities) {
    return denyAccess(ctx, { code: "not_found", message: notFound, target, details: { reason: "no_grant", capability } });
  }
  if (capability && !capabilities.has(capability)) {
    return denyAccess(ctx, { code: "forbidden", message: `Your role in this project does not allow ${capability}.`, target, details: { capability } });
  }
  return { data, principal, project, capabilities };
}

/** Tenant admin, or a user holding `project.manage_members` on the project. */
export async function requireProjectMemberManager(ctx: Ctx, projectId: string): Promise<ProjectAccess> {
  return requireProjectPermission(ctx, projectId, "project.manage_members");
}
