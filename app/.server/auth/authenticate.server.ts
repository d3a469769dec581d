import { and, eq, gt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { KuraConfig } from "../env/config.server";
import type { KuraEnv } from "../env/env";
import { apiTokens, sessions, tenantSettings, users } from "../db/tenant-schema";
import { tenantDataForAuthentication, type TenantData, type TenantDb } from "../db/tenant-data.server";
import { bearerToken } from "../operator/operator-auth.server";
import type { TenantPrincipal } from "~/policy/access";
import { projectAccessStatements, type PrefetchedProjectReads, type ProjectPrefetch } from "../access/permissions.server";
import { credentialGate, credentialUser, isCredentialRefusal, type PresentedCredential } from "./credential-gate.server";
import { ipAllowed, parseStoredAllowlist } from "./ip-allowlist.server";
import { SESSION_COOKIE } from "./sessions.server";
import { parseToken } from "./tokens.server";

export type Authenticated = {
  principal: TenantPrincipal;
  ipAllowed: boolean;
  data: TenantData;
  /** The route's project reads, when it asked for them (ADR 0014). */
  prefetched?: PrefetchedProjectReads;
};

function cookieToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === SESSION_COOKIE) return v.join("=") || null;
  }
  return null;
}

/** What authentication needs of the credential's user and the tenant's rules. */
type CredentialUser = {
  userId: string;
  email: string;
  name: string;
  tenantRole: "tenant_admin" | "user";
  totpEnabled: boolean;
  locale: "ja" | "en" | null;
  timeZone: string | null;
  /** The tenant's rules and default zone, from tenant_settings. */
  ipAllowlist: string;
  tenantTimeZone: string | null;
  require2fa: boolean;
};
type CredentialRow = CredentialUser &
  ({ kind: "session"; sessionKind: "browser" | "api"; lastSeenAt: string } | { kind: "token"; tokenId: string; lastUsedAt: string | null });

function principalOf(data: TenantData, user: CredentialUser, credential: TenantPrincipal["credential"]): TenantPrincipal {
  return {
    type: "tenant_user",
    tenantId: data.tenantId,
    tenantSlug: data.tenant.slug,
    tenantName: data.tenant.name,
    userId: user.userId,
    email: user.email,
    name: user.name,
    tenantRole: user.tenantRole,
    twoFactorEnabled: user.totpEnabled,
    locale: user.locale ?? null,
    timeZone: user.timeZone ?? null,
    tenantTimeZone: user.tenantTimeZone ?? null,
    credential,
    // Decided per request from the tenant's current setting (below), so
    // turning "require 2FA" on reaches sessions and tokens that already exist.
    mustEnrollTotp: false,
  };
}

/**
 * A column under a name of its own. D1 hands a batch's rows back as objects
 * keyed by column name, so two joined columns of the same name (users.id and
 * api_tokens.id, every created_at) would overwrite each other and drizzle
 * would map the rest to the wrong fields; every column read here is aliased.
 */
function named(column: AnyColumn, alias: string) {
  return sql`${column}`.mapWith(column).as(alias);
}

/** Only what authentication uses: never the password hash or TOTP secret. */
function credentialUserColumns() {
  return {
    userId: named(users.id, "auth_user_id"),
    email: named(users.email, "auth_email"),
    name: named(users.name, "auth_name"),
    tenantRole: named(users.tenantRole, "auth_tenant_role"),
    totpEnabled: named(users.totpEnabled, "auth_totp_enabled"),
    locale: named(users.locale, "auth_locale"),
    timeZone: named(users.timeZone, "auth_time_zone"),
    tenantTimeZone: named(tenantSettings.timeZone, "auth_tenant_time_zone"),
    ipAllowlist: named(tenantSettings.ipAllowlist, "auth_ip_allowlist"),
    require2fa: named(tenantSettings.require2fa, "auth_require_2fa"),
  };
}

/**
 * The lookup of a presented credential, which finds it only if Kura accepts
 * it: its hash stored for the tenant the token names, unexpired (a session
 * also of the right kind), its user active, and the tenant active (its status
 * mirror, ADR 0015). The one definition of a valid credential: the statement
 * that reads it and the gate of ADR 0014 differ only in what they select. An
 * idle session passes here and is refused below, which also deletes it.
 */
function credentialLookup(db: TenantDb, c: PresentedCredential, columns: Record<string, SQL.Aliased>) {
  const active = [eq(users.status, "active"), eq(tenantSettings.status, "active")];
  if (c.kind === "session") {
    return db
      .select(columns)
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(tenantSettings, eq(tenantSettings.tenantId, sessions.tenantId))
      .where(
        and(eq(sessions.tokenHash, c.hash), eq(sessions.tenantId, c.tenantId), eq(sessions.kind, c.sessionKind), gt(sessions.expiresAt, c.nowIso), ...active),
      );
  }
  return db
    .select(columns)
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(tenantSettings, eq(tenantSettings.tenantId, apiTokens.tenantId))
    .where(and(eq(apiTokens.tokenHash, c.hash), eq(apiTokens.tenantId, c.tenantId), gt(apiTokens.expiresAt, c.nowIso), ...active));
}

/** The credential's row: its user, the tenant's rules, and what keeps the credential fresh. */
function credentialStatement(db: TenantDb, c: PresentedCredential) {
  const credential: Record<string, SQL.Aliased> =
    c.kind === "session"
      ? { sessionKind: named(sessions.kind, "auth_session_kind"), lastSeenAt: named(sessions.lastSeenAt, "auth_last_seen_at") }
      : { tokenId: named(apiTokens.id, "auth_token_id"), lastUsedAt: named(apiTokens.lastUsedAt, "auth_last_used_at") };
  return credentialLookup(db, c, { ...credentialUserColumns(), ...credential });
}

/** The same lookup selecting only `auth_user_id`: what the gate and the grants embed (credential-gate.server.ts). */
export function credentialCheck(db: TenantDb, c: PresentedCredential) {
  return credentialLookup(db, c, { userId: named(users.id, "auth_user_id") });
}

function credentialRow(c: PresentedCredential, rows: unknown[]): CredentialRow | undefined {
  const row = rows[0] as Omit<CredentialRow, "kind"> | undefined;
  if (!row) return undefined;
  return { ...row, kind: c.kind } as CredentialRow;
}

type Read = { row: CredentialRow | undefined; prefetched?: PrefetchedProjectReads };

/**
 * The credential with its user and the tenant's rules; with a prefetch, also
 * the project, the user's grants and the route's reads, behind the gate and
 * in the same batch (one round trip, ADR 0014).
 */
async function readCredential(db: TenantDb, c: PresentedCredential, prefetch: ProjectPrefetch | null): Promise<Read> {
  const credential = credentialStatement(db, c);
  if (!prefetch) return { row: credentialRow(c, (await credential) as unknown[]) };
  const check = credentialCheck(db, c);
  const scope = { tenantId: c.tenantId, db };
  const [project, grants, ...reads] = projectAccessStatements(scope, prefetch.projectId, credentialUser(check), prefetch.reads);
  let out: unknown[];
  try {
    out = (await db.batch([credential, credentialGate(db, check), project!, grants!, ...reads])) as unknown as unknown[];
  } catch (error) {
    if (isCredentialRefusal(error)) return { row: undefined };
    throw error;
  }
  return {
    row: credentialRow(c, out[0] as unknown[]),
    prefetched: {
      tenantId: c.tenantId,
      projectId: prefetch.projectId,
      key: prefetch.key,
      project: out[2] as PrefetchedProjectReads["project"],
      grants: out[3] as PrefetchedProjectReads["grants"],
      results: out.slice(4),
    },
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
  p: {
    via: "bearer" | "cookie";
    clientIp: string | null;
    waitUntil: (p: Promise<unknown>) => void;
    /** Project reads to send with the credential check (the route's `prefetch`, ADR 0014). */
    prefetch?: ProjectPrefetch | null;
  },
): Promise<Authenticated | null> {
  const raw = p.via === "bearer" ? bearerToken(request) : cookieToken(request);
  if (!raw) return null;
  const parsed = await parseToken(raw);
  if (!parsed || parsed.kind === "oneTime") return null;
  if (p.via === "cookie" && parsed.kind !== "session") return null;
  const now = new Date();
  const nowIso = now.toISOString();
  // The credential, its user, the tenant's access rules and its status in one
  // statement (ADR 0014, 0015).
  const presented: PresentedCredential = {
    kind: parsed.kind === "session" ? "session" : "token",
    sessionKind: p.via === "cookie" ? "browser" : "api",
    tenantId: parsed.tenantId,
    hash: parsed.hash,
    nowIso,
  };
  const opened = await tenantDataForAuthentication.byTokenTenantWith(
    env,
    parsed.tenantId,
    (db) => readCredential(db, presented, p.prefetch ?? null),
    (read) => !read.row,
  );
  if (!opened) return null;
  const { data, result } = opened;
  const row = result.row;
  // No row: unknown, expired, revoked, a disabled user, or a tenant that is not active (ADR 0015).
  if (!row) {
    tenantDataForAuthentication.forget(parsed.tenantId);
    return null;
  }

  let principal: TenantPrincipal;
  if (row.kind === "session") {
    const idleLimit = new Date(now.getTime() - config.sessionIdleMinutes * 60_000).toISOString();
    if (row.lastSeenAt < idleLimit) {
      p.waitUntil(
        data.db
          .delete(sessions)
          .where(and(eq(sessions.tenantId, data.tenantId), eq(sessions.tokenHash, parsed.hash)))
          .run(),
      );
      return null;
    }
    // Sliding idle window; written at most once a minute per session.
    if (now.getTime() - Date.parse(row.lastSeenAt) > 60_000) {
      p.waitUntil(
        data.db
          .update(sessions)
          .set({ lastSeenAt: nowIso })
          .where(and(eq(sessions.tenantId, data.tenantId), eq(sessions.tokenHash, parsed.hash)))
          .run(),
      );
    }
    principal = principalOf(data, row, { kind: row.sessionKind === "browser" ? "browser_session" : "api_session", id: parsed.hash });
  } else {
    if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > 60_000) {
      p.waitUntil(
        data.db
          .update(apiTokens)
          .set({ lastUsedAt: nowIso })
          .where(and(eq(apiTokens.tenantId, data.tenantId), eq(apiTokens.id, row.tokenId)))
          .run(),
      );
    }
    principal = principalOf(data, row, { kind: "personal_token", id: row.tokenId });
  }
  return {
    principal: { ...principal, mustEnrollTotp: row.require2fa && !principal.twoFactorEnabled },
    ipAllowed: ipAllowed(p.clientIp, parseStoredAllowlist(row.ipAllowlist)),
    data,
    ...(result.prefetched ? { prefetched: result.prefetched } : {}),
  };
}
