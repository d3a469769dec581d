import { and, eq, ne } from "drizzle-orm";
import type { KuraConfig } from "../env/config.server";
import { apiTokens, sessions } from "../db/tenant-schema";
import type { TenantDb } from "../db/tenant-data.server";
import { issueToken } from "./tokens.server";

export const SESSION_COOKIE = "kura_session";

export type SessionKind = "browser" | "api";

export function sessionExpiry(config: KuraConfig, from = Date.now()): string {
  return new Date(from + config.sessionAbsoluteHours * 3600_000).toISOString();
}

/** Creates a session row and returns the only copy of its token. */
export async function createSession(
  db: TenantDb,
  config: KuraConfig,
  p: { tenantId: string; userId: string; kind: SessionKind; ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: string }> {
  const { token, hash } = await issueToken("session", p.tenantId);
  const expiresAt = sessionExpiry(config);
  await db
    .insert(sessions)
    .values({
      tokenHash: hash,
      tenantId: p.tenantId,
      userId: p.userId,
      kind: p.kind,
      expiresAt,
      ip: p.ip,
      userAgent: p.userAgent?.slice(0, 300) ?? null,
    })
    .run();
  return { token, expiresAt };
}

export async function revokeSession(db: TenantDb, tenantId: string, tokenHash: string): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.tokenHash, tokenHash)))
    .run();
}

/**
 * Revokes every session and personal API token of a user, except the
 * credential given (the one making a password change keeps working).
 */
export async function revokeUserCredentials(
  db: TenantDb,
  tenantId: string,
  userId: string,
  keep?: { kind: "browser_session" | "api_session" | "personal_token"; id: string },
): Promise<void> {
  await db.batch(credentialRevocations(db, tenantId, userId, keep));
}

/** The statements of `revokeUserCredentials`, to put into a larger batch. */
export function credentialRevocations(
  db: TenantDb,
  tenantId: string,
  userId: string,
  keep?: { kind: "browser_session" | "api_session" | "personal_token"; id: string },
) {
  const keepSession = keep && keep.kind !== "personal_token" ? keep.id : null;
  const keepToken = keep?.kind === "personal_token" ? keep.id : null;
  return [
    db.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId), keepSession ? ne(sessions.tokenHash, keepSession) : undefined)),
    db.delete(apiTokens).where(and(eq(apiTokens.tenantId, tenantId), eq(apiTokens.userId, userId), keepToken ? ne(apiTokens.id, keepToken) : undefined)),
  ] as const;
}

/**
 * Replaces a browser session by a new one with the same user (at privilege
 * change: 2FA enrolment, password change), so a token captured before the
 * change is worthless after it.
 */
export async function rotateSession(
  db: TenantDb,
  config: KuraConfig,
  p: { tenantId: string; userId: string; oldHash: string; ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: string }> {
  await revokeSession(db, p.tenantId, p.oldHash);
  return createSession(db, config, { ...p, kind: "browser" });
}

export function sessionCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export function clearSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}
