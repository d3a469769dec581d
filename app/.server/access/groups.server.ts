import { and, asc, eq } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { groupMembers, groups, projectGrants, users } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { GroupNameSchema } from "~/schemas/names";
import { newId } from "../ids/ids";
import { isUniqueViolation } from "../db/errors.server";

type Ctx = AuditContext;

export async function findGroup(data: TenantData, groupId: string) {
  const row = await data.db
    .select()
    .from(groups)
    .where(and(eq(groups.tenantId, data.tenantId), eq(groups.id, groupId)))
    .get();
  if (!row) fail("not_found", "No such group.");
  return row;
}

export async function findUserInTenant(data: TenantData, userId: string) {
  const row = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.id, userId)))
    .get();
  if (!row) fail("not_found", "No such user.");
  return row;
}

export async function listGroups(ctx: Ctx) {
  const data = await tenantData(ctx);
  const rows = await data.db.select().from(groups).where(eq(groups.tenantId, data.tenantId)).orderBy(asc(groups.name)).all();
  const members = await data.db.select().from(groupMembers).where(eq(groupMembers.tenantId, data.tenantId)).all();
  return rows.map((g) => ({
    id: g.id,
    name: g.name,
    createdAt: g.createdAt,
    memberIds: members.filter((m) => m.groupId === g.id).map((m) => m.userId),
  }));
}

export async function createGroup(ctx: Ctx, p: { name: string }) {
  const data = await tenantData(ctx);
  const name = checkField(GroupNameSchema, p.name, "name");
  try {
    const id = newId("group");
    const [rows] = await commitAudited(ctx, data, [data.db.insert(groups).values({ id, tenantId: data.tenantId, name }).returning()], {
      action: "group.created",
      target: { type: "group", id, name },
      details: { name },
    });
    const row = rows[0]!;
    return { id: row.id, name: row.name, createdAt: row.createdAt, memberIds: [] as string[] };
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", "A group with this name already exists.", { reason: "duplicate_group" });
    throw error;
  }
}

export async function getGroup(ctx: Ctx, groupId: string) {
  const data = await tenantData(ctx);
  const group = await findGroup(data, groupId);
  const members = await data.db
    .select({ userId: groupMembers.userId })
    .from(groupMembers)
    .where(and(eq(groupMembers.tenantId, data.tenantId), eq(groupMembers.groupId, groupId)))
    .all();
  return { id: group.id, name: group.name, createdAt: group.createdAt, memberIds: members.map((m) => m.userId) };
}

export async function renameGroup(ctx: Ctx, groupId: string, p: { name: string }) {
  const data = await tenantData(ctx);
  const name = checkField(GroupNameSchema, p.name, "name");
  const before = await findGroup(data, groupId);
  try {
    await commitAudited(
      ctx,
      data,
      [
        data.db
          .update(groups)
          .set({ name })
          .where(and(eq(groups.tenantId, data.tenantId), eq(groups.id, groupId))),
      ],
      {
        action: "group.updated",
        target: { type: "group", id: groupId, name },
        details: { name: { from: before.name, to: name } },
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", "A group with this name already exists.", { reason: "duplicate_group" });
    throw error;
  }
  return getGroup(ctx, groupId);
}

export async function deleteGroup(ctx: Ctx, groupId: string) {
  const data = await tenantData(ctx);
  const group = await findGroup(data, groupId);
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .delete(projectGrants)
        .where(and(eq(projectGrants.tenantId, data.tenantId), eq(projectGrants.principalType, "group"), eq(projectGrants.principalId, groupId))),
      data.db.delete(groups).where(and(eq(groups.tenantId, data.tenantId), eq(groups.id, groupId))),
    ],
    { action: "group.deleted", target: { type: "group", id: groupId, name: group.name }, details: { name: group.name } },
  );
}

export async function addGroupMember(ctx: Ctx, groupId: string, userId: string) {
  const data = await tenantData(ctx);
  const group = await findGroup(data, groupId);
  const user = await findUserInTenant(data, userId);
  await commitAudited(ctx, data, [data.db.insert(groupMembers).values({ tenantId: data.tenantId, groupId, userId }).onConflictDoNothing()], {
    action: "group.member_added",
    target: { type: "group", id: groupId, name: group.name },
    details: { userId, email: user.email },
  });
  return { groupId, userId };
}

export async function removeGroupMember(ctx: Ctx, groupId: string, userId: string) {
  const data = await tenantData(ctx);
  const group = await findGroup(data, groupId);
  const user = await findUserInTenant(data, userId);
  await commitAudited(
    ctx,
    data,
    [data.db.delete(groupMembers).where(and(eq(groupMembers.tenantId, data.tenantId), eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))],
    { action: "group.member_removed", target: { type: "group", id: groupId, name: group.name }, details: { userId, email: user.email } },
  );
}
