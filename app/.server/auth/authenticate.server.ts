import { and, eq, gt } from "drizzle-orm";
import type { KuraConfig } from "../env/config.server";
import type { KuraEnv } from "../env/env";
import { apiTokens, sessions, tenantSettings, users } from "../db/tenant-schema";
import { tenantDataForAuthentication, type TenantData, type TenantDb } from "../db/tenant-data.server";
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

const rules = { ipAllowlist: tenantSettings.ipAllowlist, require2fa: tenantSettings.require2fa };
type Rules = { ipAllowlist: string; require2fa: boolean } | null;
type CredentialRow =
  | { kind: "session"; session: typeof sessions.$inferSelect; user: UserRow; rules: Rules }
  | { kind: "token"; token: typeof apiTokens.$inferSelect; user: UserRow; rules: Rules };
type Parsed = { tenantId: string; hash: string };

async function readSession(db: TenantDb, parsed: Parsed, kind: "browser" | "api", nowIso: string): Promise<CredentialRow | undefined> {
  const row = await db
    .select({ session: sessions, user: users, rules })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, sessions.tenantId))
    .where(and(eq(sessions.tokenHash, parsed.hash), eq(sessions.tenantId, parsed.tenantId), eq(sessions.kind, kind), gt(sessions.expiresAt, nowIso)))
    .get();
  return row ? { kind: "session", ...row } : undefined;
}

async function readToken(db: TenantDb, parsed: Parsed, nowIso: string): Promise<CredentialRow | undefined> {
  const row = await db
    .select({ token: apiTokens, user: users, rules })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, apiTokens.tenantId))
    .where(and(eq(apiTokens.tokenHash, parsed.hash), eq(apiTokens.tenantId, parsed.tenantId), gt(apiTokens.expiresAt, nowIso)))
    .get();
  return row ? { kind: "token", ...row } : undefined;
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
  const now = new Date();
  const nowIso = now.toISOString();
  // The credential, its user and the tenant's access rules in one statement,
  // read while the control plane confirms the tenant is active.
  const kind = p.via === "cookie" ? "browser" : "api";
  const opened = await tenantDataForAuthentication.byTokenTenantWith(env, parsed.tenantId, (db) =>
    parsed.kind === "session" ? readSession(db, parsed, kind, nowIso) : readToken(db, parsed, nowIso),
  );
  if (!opened) return null;
  const { data, result: row } = opened;
  if (!row || row.user.status !== "active") return null;

  let principal: TenantPrincipal;
  if (row.kind === "session") {
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
    if (!row.token.lastUsedAt || now.getTime() - Date.parse(row.token.lastUsedAt) > 60_000) {
      p.waitUntil(data.db.update(apiTokens).set({ lastUsedAt: nowIso }).where(eq(apiTokens.id, row.token.id)).run());
    }
    principal = principalOf(data, row.user, { kind: "personal_token", id: row.token.id });
  }
  const settings = row.rules;
  return {
    principal: { ...principal, mustEnrollTotp: (settings?.require2fa ?? false) && !principal.twoFactorEnabled },
    ipAllowed: ipAllowed(p.clientIp, parseStoredAllowlist(settings?.ipAllowlist ?? "[]")),
    data,
  };
}
