import type { users } from "../db/tenant-schema";

type UserRow = typeof users.$inferSelect;

/** The user as the API shows it to admins (never hashes or secrets). */
export function userView(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    tenantRole: u.tenantRole,
    status: u.status,
    disabled: u.status === "disabled",
    twoFactorEnabled: u.totpEnabled,
    locale: u.locale ?? null,
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
  };
}

export type UserView = ReturnType<typeof userView>;

/** GET /me and the login response: the signed-in user with their tenant. */
export function meOf(tenant: { id: string; slug: string; name: string }, u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    tenantRole: u.tenantRole,
    twoFactorEnabled: u.totpEnabled,
    locale: u.locale ?? null,
  };
}
