import type { users } from "../db/tenant-schema";
import { DEFAULT_LOCALE } from "~/i18n/locale";
import { effectiveTimeZone } from "~/i18n/time-zone";

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

/**
 * The zone an API client's user sees times in: an API request has no browser
 * zone, so the last fallback is UTC (ADR 0023).
 */
export function apiTimeZone(user: { timeZone: string | null; locale: "ja" | "en" | null }, tenantTimeZone: string | null): string {
  return effectiveTimeZone({ user: user.timeZone, tenant: tenantTimeZone, locale: user.locale ?? DEFAULT_LOCALE, browser: null });
}

/** GET /me and the login response: the signed-in user with their tenant. */
export function meOf(tenant: { id: string; slug: string; name: string }, u: UserRow, tenantTimeZone: string | null) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    tenantRole: u.tenantRole,
    twoFactorEnabled: u.totpEnabled,
    locale: u.locale ?? null,
    timeZone: u.timeZone ?? null,
    effectiveTimeZone: apiTimeZone({ timeZone: u.timeZone ?? null, locale: u.locale ?? null }, tenantTimeZone),
  };
}
