import { and, asc, eq, inArray, or } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { groupMembers, projectGrants, projects } from "../db/tenant-schema";
import { tenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { isUniqueViolation } from "../db/errors.server";
import { checkField } from "../http/validation.server";
import { ProjectNameSchema } from "~/schemas/names";
import { newId } from "../ids/ids";
import { findGroup, findUserInTenant } from "./groups.server";
import {
  requireProjectMemberManager,
  requireProjectPermission,
  requireTenantAdmin,
  requireTenantPrincipal,
  roleCapabilities,
  type ProjectAccess,
} from "./permissions.server";
import { CAPABILITIES } from "~/policy/capabilities";
import { requireGrantableRole } from "./roles.server";

type Ctx = AuditContext;

function projectView(p: typeof projects.$inferSelect) {
  return { id: p.id, name: p.name, createdAt: p.createdAt };
}

/** GET /projects/{id}: the project and what the caller may do in it. */
export async function getProject(ctx: Ctx, projectId: string) {
  const { project, capabilities } = await requireProjectPermission(ctx, projectId, null);
  return { ...projectView(project), myPermissions: CAPABILITIES.filter((c) => capabilities.has(c)) };
}

/**
 * A project name is unique in its tenant (index projects_tenant_name_unique),
 * like group and role names: the name as stored (NFC, trimmed), compared exactly.
 * The index decides, so concurrent creates and renames cannot both win.
 */
async function refusingDuplicateName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", "A project with this name already exists.", { reason: "duplicate_project" });
    throw error;
  }
}

/** Creating projects is a tenant administrator's job. */
export async function createProject(ctx: Ctx, p: { name: string }) {
  const principal = await requireTenantAdmin(ctx, "project.create");
  const name = checkField(ProjectNameSchema, p.name, "name");
  const data = await tenantData(ctx);
  const id = newId("project");
  const [rows] = await refusingDuplicateName(() =>
    commitAudited(ctx, data, [data.db.insert(projects).values({ id, tenantId: data.tenantId, name, createdBy: principal.userId }).returning()], {
      action: "project.created",
      target: { type: "project", id, name },
      details: { name },
    }),
  );
  return projectView(rows[0]!);
}

/** Tenant admins see every project; other users the ones they hold a grant on. */
export async function listProjects(ctx: Ctx) {
  const principal = requireTenantPrincipal(ctx);
  const data = await tenantData(ctx);
  if (principal.tenantRole === "tenant_admin") {
    const rows = await data.db.select().from(projects).where(eq(projects.tenantId, data.tenantId)).orderBy(asc(projects.name)).all();
    return rows.map(projectView);
  }
  const memberOf = data.db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, data.tenantId), eq(groupMembers.userId, principal.userId)));
  const granted = data.db
    .select({ projectId: projectGrants.projectId })
    .from(projectGrants)
    .where(
      and(
        eq(projectGrants.tenantId, data.tenantId),
        or(
          and(eq(projectGrants.principalType, "user"), eq(projectGrants.principalId, principal.userId)),
          and(eq(projectGrants.principalType, "group"), inArray(projectGrants.principalId, memberOf)),
        ),
      ),
    );
  const rows = await data.db
    .select()
    .from(projects)
    .where(and(eq(projects.tenantId, data.tenantId), inArray(projects.id, granted)))
    .orderBy(asc(projects.name))
    .all();
  return rows.map(projectView);
}

export async function renameProject(ctx: Ctx, projectId: string, p: { name: string }) {
  const { data, project } = await requireProjectMemberManager(ctx, projectId);
  const name = checkField(ProjectNameSchema, p.name, "name");
  const [rows] = await refusingDuplicateName(() =>
    commitAudited(
      ctx,
      data,
      [
        data.db
          .update(projects)
          .set({ name })
          .where(and(eq(projects.tenantId, data.tenantId), eq(projects.id, projectId)))
          .returning(),
      ],
      { action: "project.updated", target: { type: "project", id: projectId, name }, details: { name: { from: project.name, to: name } } },
    ),
  );
  return projectView(rows[0]!);
}

export async function listProjectMembers(ctx: Ctx, projectId: string) {
  const { data } = await requireProjectMemberManager(ctx, projectId);
  const rows = await data.db
    .select()
    .from(projectGrants)
    .where(and(eq(projectGrants.tenantId, data.tenantId), eq(projectGrants.projectId, projectId)))
    .all();
  return rows.map((g) => ({ principalType: g.principalType, principalId: g.principalId, role: g.role }));
}

/**
 * A member manager who is not a tenant admin can hand out, change and take
 * away only what they hold themselves: the role granted, and the role being
 * replaced or removed, must be within the manager's own capabilities in the
 * project. Otherwise `project.manage_members` would be a way to promote
 * oneself (or a friend) to project_admin.
 */
async function requireWithinOwnCapabilities(access: ProjectAccess, roles: string[]): Promise<void> {
  if (access.principal.tenantRole === "tenant_admin") return;
  const wanted = await roleCapabilities(access.data, roles);
  const missing = [...wanted].filter((c) => !access.capabilities.has(c));
  if (missing.length > 0) {
    fail("forbidden", `You can only grant or change roles within your own capabilities in this project (missing: ${missing.join(", ")}).`);
  }
}

/** The grant of one user or group on the project. */
function grantOf(access: ProjectAccess, principalType: "user" | "group", principalId: string) {
  return and(
    eq(projectGrants.tenantId, access.data.tenantId),
    eq(projectGrants.projectId, access.project.id),
    eq(projectGrants.principalType, principalType),
    eq(projectGrants.principalId, principalId),
  );
}

async function currentGrant(access: ProjectAccess, principalType: "user" | "group", principalId: string): Promise<string | null> {
  const row = await access.data.db
    .select({ role: projectGrants.role })
    .from(projectGrants)
    .where(grantOf(access, principalType, principalId))
    .get();
  return row?.role ?? null;
}

/** PUT /projects/{id}/members/{userId} or /groups/{groupId}: grant or change a role. */
export async function setProjectGrant(ctx: Ctx, projectId: string, principalType: "user" | "group", principalId: string, role: string) {
  const access = await requireProjectMemberManager(ctx, projectId);
  const { data, project } = access;
  if (principalType === "user") await findUserInTenant(data, principalId);
  else await findGroup(data, principalId);
  await requireGrantableRole(data, role);
  const previous = await currentGrant(access, principalType, principalId);
  await requireWithinOwnCapabilities(access, previous ? [role, previous] : [role]);
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .insert(projectGrants)
        .values({ tenantId: data.tenantId, projectId, principalType, principalId, role })
        .onConflictDoUpdate({ target: [projectGrants.projectId, projectGrants.principalType, projectGrants.principalId], set: { role } }),
    ],
    {
      action: "project.member_set",
      target: { type: "project", id: projectId, name: project.name },
      details: { principalType, principalId, role, previousRole: previous },
    },
  );
  return { projectId, [principalType === "user" ? "userId" : "groupId"]: principalId, role };
}

export async function removeProjectGrant(ctx: Ctx, projectId: string, principalType: "user" | "group", principalId: string) {
  const access = await requireProjectMemberManager(ctx, projectId);
  const { data, project } = access;
  const previous = await currentGrant(access, principalType, principalId);
  if (!previous) fail("not_found", "No such member in this project.");
  await requireWithinOwnCapabilities(access, [previous]);
  await commitAudited(ctx, data, [data.db.delete(projectGrants).where(grantOf(access, principalType, principalId))], {
    action: "project.member_removed",
    target: { type: "project", id: projectId, name: project.name },
    details: { principalType, principalId, role: previous },
  });
}
