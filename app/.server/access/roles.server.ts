import { and, asc, count, eq } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { projectGrants, roles } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { isUniqueViolation } from "../db/errors.server";
import { checkField } from "../http/validation.server";
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES, isBuiltInRole, type BuiltInRole, type Capability } from "~/policy/capabilities";
import { RoleKeySchema } from "~/schemas/admin";
import { RoleNameSchema } from "~/schemas/names";

type Ctx = AuditContext;

export type RoleView = { id: string; name: string; permissions: Capability[]; builtIn: boolean };

function customView(r: typeof roles.$inferSelect): RoleView {
  return { id: r.id, name: r.name, permissions: JSON.parse(r.permissions) as Capability[], builtIn: false };
}

export async function listRoles(ctx: Ctx): Promise<RoleView[]> {
  const data = await tenantData(ctx);
  const builtIns = (Object.keys(BUILT_IN_ROLES) as BuiltInRole[]).map((id) => ({
    id,
    name: BUILT_IN_ROLE_NAMES[id].en,
    permissions: [...BUILT_IN_ROLES[id]],
    builtIn: true,
  }));
  const custom = await data.db.select().from(roles).where(eq(roles.tenantId, data.tenantId)).orderBy(asc(roles.name)).all();
  return [...builtIns, ...custom.map(customView)];
}

export async function getRole(ctx: Ctx, id: string): Promise<RoleView> {
  const all = await listRoles(ctx);
  const role = all.find((r) => r.id === id);
  if (!role) fail("not_found", "No such role.");
  return role;
}

async function findRole(data: TenantData, id: string) {
  const row = await data.db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, data.tenantId), eq(roles.id, id)))
    .get();
  if (!row) fail("not_found", "No such role.");
  return row;
}

/** Custom roles may not be named like a built-in one, in either language or by key. */
function refuseBuiltInName(name: string): void {
  const lower = name.toLowerCase();
  if (Object.values(BUILT_IN_ROLE_NAMES).some((n) => n.en.toLowerCase() === lower || n.ja === name) || isBuiltInRole(name)) {
    fail("conflict", "A built-in role already has this name.", { reason: "duplicate_role" });
  }
}

export async function createRole(ctx: Ctx, p: { name: string; permissions: Capability[] }): Promise<RoleView> {
  const data = await tenantData(ctx);
  const name = checkField(RoleNameSchema, p.name, "name");
  refuseBuiltInName(name);
  const id = newId("role");
  const permissions = [...new Set(p.permissions)].sort();
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .insert(roles)
          .values({ id, tenantId: data.tenantId, name, permissions: JSON.stringify(permissions) })
          .returning(),
      ],
      { action: "role.created", target: { type: "role", id, name }, details: { name, permissions } },
    );
    return customView(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", "A role with this name already exists.", { reason: "duplicate_role" });
    throw error;
  }
}

/** Built-in roles cannot be changed or deleted (their ids are not custom role ids → 404). */
export async function updateRole(ctx: Ctx, id: string, p: { name?: string | undefined; permissions?: Capability[] | undefined }): Promise<RoleView> {
  const data = await tenantData(ctx);
  if (isBuiltInRole(id)) fail("conflict", "Built-in roles cannot be changed.");
  const name = p.name === undefined ? undefined : checkField(RoleNameSchema, p.name, "name");
  if (name !== undefined) refuseBuiltInName(name);
  const before = customView(await findRole(data, id));
  const changes = {
    ...(name !== undefined ? { name } : {}),
    ...(p.permissions !== undefined ? { permissions: [...new Set(p.permissions)].sort() } : {}),
  };
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .update(roles)
          .set({
            ...(changes.name !== undefined ? { name: changes.name } : {}),
            ...(changes.permissions !== undefined ? { permissions: JSON.stringify(changes.permissions) } : {}),
            updatedAt: new Date().toISOString(),
          })
          .where(and(eq(roles.tenantId, data.tenantId), eq(roles.id, id)))
          .returning(),
      ],
      {
        action: "role.updated",
        target: { type: "role", id, name: changes.name ?? before.name },
        details: { before: { name: before.name, permissions: before.permissions }, after: changes },
      },
    );
    return customView(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", "A role with this name already exists.", { reason: "duplicate_role" });
    throw error;
  }
}

/** A role still granted somewhere is not deleted silently: 409 says where it is used. */
export async function deleteRole(ctx: Ctx, id: string): Promise<void> {
  const data = await tenantData(ctx);
  if (isBuiltInRole(id)) fail("conflict", "Built-in roles cannot be deleted.");
  const role = await findRole(data, id);
  const used = await data.db
    .select({ n: count() })
    .from(projectGrants)
    .where(and(eq(projectGrants.tenantId, data.tenantId), eq(projectGrants.role, id)))
    .get();
  if ((used?.n ?? 0) > 0) fail("conflict", `The role is still granted ${used!.n} time(s); change those grants first.`, { reason: "role_in_use" });
  await commitAudited(ctx, data, [data.db.delete(roles).where(and(eq(roles.tenantId, data.tenantId), eq(roles.id, id)))], {
    action: "role.deleted",
    target: { type: "role", id, name: role.name },
    details: { name: role.name },
  });
}

/** A role key valid for grants in this tenant: built-in or an existing custom role. */
export async function requireGrantableRole(data: TenantData, role: string): Promise<void> {
  if (isBuiltInRole(checkField(RoleKeySchema, role, "role"))) return;
  const row = await data.db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, data.tenantId), eq(roles.id, role)))
    .get();
  if (!row) fail("validation_failed", "The request body is not valid.", { fields: [{ path: "role", message: "Unknown role.", reason: "role_unknown" }] });
}
