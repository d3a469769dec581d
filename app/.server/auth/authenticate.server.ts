import { and, eq, gt } from "drizzle-orm";
import type { KuraConfig } from "../env/config.server";
import type { KuraEnv } from "../env/env";
import { apiTokens, sessions, tenantSettings, users } from "../db/tenant-schema";
import { tenantDataForAuthentication, type TenantData } from "../db/tenant-data.server";
import { bearerToken } from "../operator/operator-auth.server";
import type { TenantPrincipal } from "~/policy/access";
import { ipAllowed, parseStoredAllowlist } from "./ip-allowlist.server";
import { SESSION_COOKIE } from "./sessions.server";
import { parseToken } from "./tokens.server";

export type Authenticated = { principal: TenantPrincipal; ipAllowed: boolean; data: TenantData };

function cookieToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === SESSION_COOKIE) return v.join("=") || null;
  }
  return null;
}

type UserRow = typeof users.$inferSelect;

function principalOf(data: TenantData, user: UserRow, credential: TenantPrincipal["credential"]): TenantPrincipal {
  return {
    type: "tenant_user",
    tenantId: data.tenantId,
    tenantSlug: data.tenant.slug,
    tenantName: data.tenant.name,
    userId: user.id,
    email: user.email,
    name: user.name,
    tenantRole: user.tenantRole,
    twoFactorEnabled: user.totpEnabled,
    locale: user.locale ?? null,
    credential,
    // Decided per request from the tenant's current setting (below), so
    // turning "require 2FA" on reaches sessions and tokens that already exist.
    mustEnrollTotp: false,
  };
}

/**
 * Resolves the credential of a request to a tenant user. The API reads only
 * `Authorization: Bearer` (never cookies); the UI reads only the session
 * cookie. Expired, idle, revoked, disabled and terminated all give null.
 */
export async function authenticateTenantUser(
  request: Request,
  env: KuraEnv,
  config: KuraConfig,
  p: { via: "bearer" | "cookie"; clientIp: string | null; waitUntil: (p: Promise<unknown>) => void },
): Promise<Authenticated | null> {
  const raw = p.via === "bearer" ? bearerToken(request) : cookieToken(request);
  if (!raw) return null;
  const parsed = await parseToken(raw);
  if (!parsed || parsed.kind === "oneTime") return null;
  if (p.via === "cookie" && parsed.kind !== "session") return null;
  const data = await tenantDataForAuthentication.byTokenTenant(env, parsed.tenantId);
  if (!data) return null;
  const now = new Date();
  const nowIso = now.toISOString();

  let principal: TenantPrincipal | null = null;
  if (parsed.kind === "session") {
    const row = await data.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, parsed.hash),
          eq(sessions.tenantId, data.tenantId),
          eq(sessions.kind, p.via === "cookie" ? "browser" : "api"),
          gt(sessions.expiresAt, nowIso),
        ),
      )
      .get();
    if (!row || row.user.status !== "active") return null;
    const idleLimit = new Date(now.getTime() - config.sessionIdleMinutes * 60_000).toISOString();
    if (row.session.lastSeenAt < idleLimit) {
      p.waitUntil(data.db.delete(sessions).where(eq(sessions.tokenHash, parsed.hash)).run());
      return null;
    }
    // Sliding idle window; written at most once a minute per session.
    if (now.getTime() - Date.parse(row.session.lastSeenAt) > 60_000) {
      p.waitUntil(data.db.update(sessions).set({ lastSeenAt: nowIso }).where(eq(sessions.tokenHash, parsed.hash)).run());
    }
    principal = principalOf(
      data,
      row.user,
      { kind: row.session.kind === "browser" ? "browser_session" : "api_session", id: parsed.hash },
    );
  } else {
    const row = await data.db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, parsed.hash), eq(apiTokens.tenantId, data.tenantId), gt(apiTokens.expiresAt, nowIso)))
      .get();
    if (!row || row.user.status !== "active") return null;
    if (!row.token.lastUsedAt || now.getTime() - Date.parse(row.token.lastUsedAt) > 60_000) {
      p.waitUntil(data.db.update(apiTokens).set({ lastUsedAt: nowIso }).where(eq(apiTokens.id, row.token.id)).run());
    }
    principal = principalOf(data, row.user, { kind: "personal_token", id: row.token.id });
  }

  const settings = await data.db
    .select({ ipAllowlist: tenantSettings.ipAllowlist, require2fa: tenantSettings.require2fa })
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, data.tenantId))
    .get();
  return {
    principal: { ...principal, mustEnrollTotp: (settings?.require2fa ?? false) && !principal.twoFactorEnabled },
    ipAllowed: ipAllowed(p.clientIp, parseStoredAllowlist(settings?.ipAllowlist ?? "[]")),
    data,
  };
}
