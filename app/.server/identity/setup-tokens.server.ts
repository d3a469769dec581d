import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { oneTimeTokens } from "../db/tenant-schema";
import type { TenantDb } from "../db/tenant-data.server";
import { issueToken } from "../auth/tokens.server";

export const SETUP_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 3600_000;
export const LOGIN_CHALLENGE_TTL_MS = 5 * 60_000;

type Purpose = "setup" | "reset" | "login_challenge";

const TTL: Record<Purpose, number> = { setup: SETUP_TTL_MS, reset: RESET_TTL_MS, login_challenge: LOGIN_CHALLENGE_TTL_MS };

/**
 * Issues a single-use token (stored hashed). A new one replaces any unused
 * earlier token of the same purpose, so only the latest link works.
 */
export async function issueOneTimeToken(db: TenantDb, tenantId: string, userId: string, purpose: Purpose): Promise<string> {
  const { token, hash } = await issueToken("oneTime", tenantId);
  await db.batch([
    db
      .delete(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tenantId, tenantId), eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt))),
    db.insert(oneTimeTokens).values({
      tokenHash: hash,
      tenantId,
      userId,
      purpose,
      expiresAt: new Date(Date.now() + TTL[purpose]).toISOString(),
    }),
  ]);
  return token;
}

/**
 * Marks the token used and returns its user, atomically: of two concurrent
 * uses, exactly one wins.
 */
export async function consumeOneTimeToken(
  db: TenantDb,
  tenantId: string,
  hash: string,
  purposes: readonly Purpose[],
): Promise<{ userId: string; purpose: Purpose } | null> {
  const now = new Date().toISOString();
  const row = await db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, hash),
        eq(oneTimeTokens.tenantId, tenantId),
        inArray(oneTimeTokens.purpose, [...purposes]),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
      ),
    )
    .returning({ userId: oneTimeTokens.userId, purpose: oneTimeTokens.purpose })
    .get();
  return row ?? null;
}

/** Read-only check, for showing the setup form before the password is chosen. */
export async function peekOneTimeToken(db: TenantDb, tenantId: string, hash: string, purposes: readonly Purpose[]) {
  const row = await db
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, hash), eq(oneTimeTokens.tenantId, tenantId)))
    .get();
  if (!row || row.usedAt || row.expiresAt <= new Date().toISOString() || !purposes.includes(row.purpose)) return null;
  return row;
}
