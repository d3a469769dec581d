import { and, asc, eq, gt, ne } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import type { KuraContext } from "../context";
import { projectGrants, recoveryCodes, users } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { PersonNameSchema } from "~/schemas/names";
import { credentialRevocations } from "../auth/sessions.server";
import { commitAudited } from "../audit/record.server";
import { requireTenantPrincipal } from "../access/permissions.server";
import { inviteUserRecord } from "./accounts.server";
import type { AuthContext } from "./login.server";
import { userView } from "./user-view.server";
import { abortStatements, abortStoredParts, openUploadsOf, uploadAbortedEvent } from "../assets/uploads.server";

type Ctx = AuthContext & Pick<KuraContext, "principal">;

/** Ordered by e-mail; the cursor is the e-mail of the last item (unique per tenant). */
export async function listUsers(ctx: Ctx, page: { limit: number; cursor?: string | undefined } = { limit: 200 }) {
  const data = await tenantData(ctx);
  const after = page.cursor ? decodeCursor(page.cursor, ["email"]) : null;
  const rows = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), after ? gt(users.email, after.email) : undefined))
    .orderBy(asc(users.email))
    .limit(page.limit + 1)
    .all();
  const items = rows.slice(0, page.limit).map(userView);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ email: last.email }) : null };
}

/**
 * What any user of the tenant may see of a colleague (e.g. the uploader on an
 * asset page): the display name only, never the e-mail address (personal data
 * that only admins read, through getUser). Null for a deleted user.
 */
export async function colleagueName(ctx: Ctx, userId: string): Promise<{ id: string; name: string | null } | null> {
  const data = await tenantData(ctx);
  const row = await data.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.id, userId)))
    .get();
  return row ? { id: row.id, name: row.name.trim() || null } : null;
}

async function findUser(data: TenantData, userId: string) {
  const user = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.id, userId)))
    .get();
  if (!user) fail("not_found", "No such user.");
  return user;
}

export async function getUser(ctx: Ctx, userId: string) {
  return userView(await findUser(await tenantData(ctx), userId));
}

/** POST /users: invite (the setup link is e-mailed and also returned). */
export async function inviteUser(ctx: Ctx, p: { email: string; name?: string | undefined; tenantRole: "tenant_admin" | "user" }) {
  const name = checkField(PersonNameSchema, p.name ?? "", "name");
  return inviteUserRecord(ctx, await tenantData(ctx), { email: p.email, name, tenantRole: p.tenantRole, firstAdmin: false });
}

/** Would this change leave the tenant without an active tenant admin? */
async function isLastActiveAdmin(data: TenantData, userId: string): Promise<boolean> {
  const others = await data.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.tenantRole, "tenant_admin"), eq(users.status, "active"), ne(users.id, userId)))
    .limit(1)
    .all();
  return others.length === 0;
}

/** PATCH /users/{id}: name, tenant role, disabled. */
export async function updateUser(
  ctx: Ctx,
  userId: string,
  p: {
    name?: string | undefined;
    tenantRole?: "tenant_admin" | "user" | undefined;
    disabled?: boolean | undefined;
    resetTwoFactor?: true | undefined;
  },
) {
  requireTenantPrincipal(ctx);
  if (p.name !== undefined) p = { ...p, name: checkField(PersonNameSchema, p.name, "name") };
  const data = await tenantData(ctx);
  const user = await findUser(data, userId);
  const demoting = p.tenantRole === "user" && user.tenantRole === "tenant_admin";
  const disabling = p.disabled === true && user.status !== "disabled";
  if ((demoting || disabling) && user.tenantRole === "tenant_admin" && (await isLastActiveAdmin(data, user.id))) {
    fail("conflict", "This is the last tenant administrator: promote someone else first.", { reason: "last_admin" });
  }
  const status = p.disabled === undefined ? user.status : p.disabled ? "disabled" : user.passwordHash ? "active" : "invited";
  // A disabled user's sessions and tokens die at once. Any change of tenant
  // role also ends them: no credential outlives the privilege it was issued
  // under, and the user signs in again under the new one.
  const roleChanged = p.tenantRole !== undefined && p.tenantRole !== user.tenantRole;
  const revoke = disabling || roleChanged || p.resetTwoFactor === true;
  // A disabled user's uploads in progress are aborted in the same batch: no reservation outlives the account's use.
  const abandoned = disabling ? await openUploadsOf(data, user.id) : [];
  const [rows] = await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({
          ...(p.name !== undefined ? { name: p.name.trim() } : {}),
          ...(p.tenantRole !== undefined ? { tenantRole: p.tenantRole } : {}),
          status,
          ...(p.resetTwoFactor ? { totpEnabled: false, totpSecret: null, totpLastStep: 0 } : {}),
          updatedAt: new Date().toISOString(),
        })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id)))
        .returning(),
      ...(p.resetTwoFactor ? [data.db.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, data.tenantId), eq(recoveryCodes.userId, user.id)))] : []),
      ...(revoke ? credentialRevocations(data.db, data.tenantId, user.id) : []),
      ...(disabling ? abortStatements(data, { userId: user.id }) : []),
    ],
    [
      ...abandoned.map((u) => uploadAbortedEvent(u, "user_disabled")),
      {
        action: "user.updated",
        target: { type: "user", id: user.id, name: user.email },
        details: {
          email: user.email,
          ...(p.name !== undefined ? { name: p.name.trim() } : {}),
          ...(roleChanged ? { tenantRole: { from: user.tenantRole, to: p.tenantRole } } : {}),
          ...(status !== user.status ? { status: { from: user.status, to: status } } : {}),
          ...(p.resetTwoFactor ? { twoFactorReset: true } : {}),
          ...(revoke ? { credentialsRevoked: true } : {}),
        },
      },
    ],
  );
  await abortStoredParts(ctx, data, abandoned);
  return userView(rows[0]!);
}

/** DELETE /users/{id}: physical deletion; sessions, tokens and grants go with it. */
export async function deleteUser(ctx: Ctx, userId: string) {
  requireTenantPrincipal(ctx);
  const data = await tenantData(ctx);
  const user = await findUser(data, userId);
  if (user.tenantRole === "tenant_admin" && (await isLastActiveAdmin(data, user.id))) {
    fail("conflict", "This is the last tenant administrator and cannot be deleted.", { reason: "last_admin" });
  }
  const abandoned = await openUploadsOf(data, user.id);
  await commitAudited(
    ctx,
    data,
    [
      // Their uploads in progress are aborted and their reservations released with them.
      ...abortStatements(data, { userId: user.id }),
      data.db
        .delete(projectGrants)
        .where(and(eq(projectGrants.tenantId, data.tenantId), eq(projectGrants.principalType, "user"), eq(projectGrants.principalId, user.id))),
      // Sessions, API tokens, one-time tokens, recovery codes and group
      // memberships cascade from the user row.
      data.db.delete(users).where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id))),
    ],
    [
      ...abandoned.map((u) => uploadAbortedEvent(u, "user_deleted")),
      { action: "user.deleted", target: { type: "user", id: user.id, name: user.email }, details: { email: user.email, tenantRole: user.tenantRole } },
    ],
  );
  await abortStoredParts(ctx, data, abandoned);
}
