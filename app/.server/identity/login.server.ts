import { and, eq, isNull } from "drizzle-orm";
import type { KuraContext } from "../context";
import { recoveryCodes, tenantSettings, users } from "../db/tenant-schema";
import { tenantDataForAuthentication, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { decryptSecret, requireDataKey } from "../auth/crypto.server";
import { ipAllowed, parseStoredAllowlist } from "../auth/ip-allowlist.server";
import { burnVerification, hashPassword, verifyPassword } from "../auth/password.server";
import { clearFailures, countOccurrence, LIMITS, reserveAttempt } from "../auth/rate-limit.server";
import { createSession, type SessionKind } from "../auth/sessions.server";
import { hashRecoveryCode, verifyTotp } from "../auth/totp.server";
import { parseToken } from "../auth/tokens.server";
import { consumeOneTimeToken, issueOneTimeToken, peekOneTimeToken } from "./setup-tokens.server";
import { commitAudited, recordAudit } from "../audit/record.server";

export type AuthContext = Pick<KuraContext, "env" | "config" | "waitUntil" | "clientIp" | "userAgent" | "publicOrigin" | "logger" | "principal">;
type UserRow = typeof users.$inferSelect;

export type LoginInput = { tenant: string; email: string; password: string; otp?: string | undefined };

const INVALID = "Invalid tenant, e-mail or password.";

export function totpContext(tenantId: string, userId: string): string {
  return `totp:${tenantId}:${userId}`;
}

export async function totpKeyOf(ctx: AuthContext, user: UserRow): Promise<Uint8Array | null> {
  if (!user.totpSecret) return null;
  return decryptSecret(user.totpSecret, requireDataKey(ctx.env), totpContext(user.tenantId, user.id));
}

async function requireAllowedIp(ctx: AuthContext, data: TenantData): Promise<{ require2fa: boolean }> {
  const settings = await data.db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, data.tenantId)).get();
  if (!ipAllowed(ctx.clientIp, parseStoredAllowlist(settings?.ipAllowlist ?? "[]"))) {
    fail("ip_not_allowed", "Your IP address is not on this tenant's allow-list.");
  }
  return { require2fa: settings?.require2fa ?? false };
}

/**
 * Checks a TOTP code (newer than the last accepted one) or an unused
 * recovery code, and records what it consumed. False for anything else.
 */
export async function acceptSecondFactor(ctx: AuthContext, data: TenantData, user: UserRow, code: string): Promise<boolean> {
  const key = await totpKeyOf(ctx, user);
  if (key && /^\d{6}$/.test(code.trim())) {
    const step = verifyTotp(key, code.trim(), user.totpLastStep);
    if (step === null) return false;
    // Compare-and-set: a concurrent use of the same code loses.
    const updated = await data.db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id), eq(users.totpLastStep, user.totpLastStep)))
      .returning({ id: users.id })
      .get();
    return updated !== undefined;
  }
  const hash = await hashRecoveryCode(code);
  const used = await data.db
    .update(recoveryCodes)
    .set({ usedAt: new Date().toISOString() })
    .where(and(eq(recoveryCodes.tenantId, data.tenantId), eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)))
    .returning({ userId: recoveryCodes.userId })
    .get();
  return used !== undefined;
}

export type VerifiedLogin = { data: TenantData; user: UserRow; mustEnrollTotp: boolean };

/**
 * The whole credential check, shared by POST /api/v1/auth/login and the login
 * page. Every "no" that could reveal whether a tenant or e-mail exists is
 * the same 401 invalid_credentials after the same amount of hashing.
 */
export async function verifyLogin(ctx: AuthContext, input: LoginInput, options: { otpStep: "required" | "deferred" }): Promise<VerifiedLogin> {
  const seen: LoginAttempt = { data: null, user: null, email: input.email.trim().toLowerCase() };
  try {
    return await checkLogin(ctx, input, options, seen);
  } catch (thrown) {
    await auditLoginFailure(ctx, seen, thrown);
    throw thrown;
  }
}

/** What a login attempt got as far as, for its audit event. */
type LoginAttempt = { data: TenantData | null; user: UserRow | null; email: string };

/**
 * Refusals that are not failed guesses: a 429 was refused before anything
 * was checked (recording it would let anyone write events at will), and
 * otp_required is the first half of a good sign-in.
 */
const NOT_A_FAILURE = new Set(["otp_required", "rate_limited"]);

/**
 * `auth.login_failed` in the tenant's log for every evaluated attempt that
 * was refused at a tenant that exists (an unknown tenant has no log). The
 * reason stays in the log; the caller only ever sees the generic answer.
 * At most LIMITS.loginFailedEventsPerTenant of them per window: past that, one
 * `auth.login_failures_suppressed` event says so and the rest are dropped, so
 * an anonymous caller rotating addresses and e-mails cannot fill the log.
 */
async function auditLoginFailure(ctx: AuthContext, seen: LoginAttempt, thrown: unknown): Promise<void> {
  if (!seen.data || !(thrown instanceof Response)) return;
  const code =
    (
      (await thrown
        .clone()
        .json()
        .catch(() => null)) as { error?: { code?: string } } | null
    )?.error?.code ?? "error";
  if (NOT_A_FAILURE.has(code)) return;
  const budget = LIMITS.loginFailedEventsPerTenant(seen.data.tenantId);
  const count = await countOccurrence(ctx.env, budget);
  if (count > budget.max + 1) return;
  if (count === budget.max + 1) {
    await recordAudit(ctx, seen.data, {
      action: "auth.login_failures_suppressed",
      actor: { type: "system", id: null },
      target: { type: "tenant", id: seen.data.tenantId, name: seen.data.tenant.slug },
      outcome: "failure",
      details: { recorded: budget.max, windowMinutes: budget.windowSeconds / 60 },
    });
    return;
  }
  const reason =
    code === "invalid_credentials" ? (seen.user ? (seen.user.status === "active" ? "wrong_password" : `user_${seen.user.status}`) : "unknown_user") : code;
  await recordAudit(ctx, seen.data, {
    action: "auth.login_failed",
    actor: { type: "user", id: seen.user?.id ?? null, email: seen.email },
    target: { type: "user", id: seen.user?.id ?? null, name: seen.email },
    outcome: "failure",
    details: { reason },
  });
}

async function checkLogin(ctx: AuthContext, input: LoginInput, options: { otpStep: "required" | "deferred" }, seen: LoginAttempt): Promise<VerifiedLogin> {
  const email = seen.email;
  const slug = input.tenant.trim().toLowerCase();
  const accountLimit = LIMITS.loginPerAccount(slug, email);
  const data = await tenantDataForAuthentication.bySlug(ctx.env, slug);
  seen.data = data;
  // Reserve, then verify (ADR 0017): the slot is taken before any hashing.
  const attempt = await reserveAttempt(ctx.env, [accountLimit, LIMITS.loginPerIp(ctx.clientIp)]);
  const refuse = (): never => fail("invalid_credentials", INVALID);

  if (!data) {
    await burnVerification(input.password, ctx.config.argon2);
    return refuse();
  }
  const { require2fa } = await requireAllowedIp(ctx, data);
  const user = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.email, email)))
    .get();
  seen.user = user ?? null;
  if (!user || user.status !== "active" || !user.passwordHash) {
    await burnVerification(input.password, ctx.config.argon2);
    return refuse();
  }
  const check = await verifyPassword(input.password, user.passwordHash, ctx.config.argon2);
  if (!check.ok) return refuse();
  // The password was right: not a guess. The second factor has its own limit.
  await attempt.refund();
  if (check.needsRehash) {
    const upgraded = await hashPassword(input.password, ctx.config.argon2);
    await data.db
      .update(users)
      .set({ passwordHash: upgraded })
      .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id)))
      .run();
  }

  if (user.totpEnabled && options.otpStep === "required") {
    if (!input.otp) fail("otp_required", "Enter the code from your authenticator app.");
    await verifySecondFactorOrFail(ctx, data, user, input.otp);
  }
  // The owner has proven who they are: earlier failures on the account are forgotten.
  if (!user.totpEnabled || options.otpStep === "required") await clearFailures(ctx.env, accountLimit);
  return { data, user, mustEnrollTotp: require2fa && !user.totpEnabled };
}

export async function verifySecondFactorOrFail(ctx: AuthContext, data: TenantData, user: UserRow, code: string): Promise<void> {
  const attempt = await reserveAttempt(ctx.env, [LIMITS.otpPerAccount(user.id)]);
  if (!(await acceptSecondFactor(ctx, data, user, code))) fail("invalid_otp", "The code is wrong or has already been used.");
  await attempt.refund();
}

/** Opens a session and records the login (`auth.login`) with it. */
export async function openSession(ctx: AuthContext, login: VerifiedLogin, kind: SessionKind) {
  const { data, user } = login;
  const nowIso = new Date().toISOString();
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({ lastLoginAt: nowIso })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id))),
    ],
    {
      action: "auth.login",
      actor: { type: "user", id: user.id, email: user.email },
      target: { type: "user", id: user.id, name: user.email },
      details: { via: kind === "browser" ? "web" : "api", secondFactor: user.totpEnabled, mustEnrollTotp: login.mustEnrollTotp },
    },
  );
  const session = await createSession(data.db, ctx.config, {
    tenantId: data.tenantId,
    userId: user.id,
    kind,
    ip: ctx.clientIp,
    userAgent: ctx.userAgent,
  });
  return { ...session, user: { ...user, lastLoginAt: nowIso } };
}

/**
 * Browser two-step login: after the password, a short-lived single-use
 * challenge stands for "password verified" until the code is entered, so
 * the password is never sent twice.
 */
export async function startLoginChallenge(login: VerifiedLogin): Promise<string> {
  return issueOneTimeToken(login.data.db, login.data.tenantId, login.user.id, "login_challenge");
}

export async function completeLoginChallenge(ctx: AuthContext, challenge: string, code: string): Promise<VerifiedLogin> {
  const seen: LoginAttempt = { data: null, user: null, email: "" };
  try {
    return await checkLoginChallenge(ctx, challenge, code, seen);
  } catch (thrown) {
    await auditLoginFailure(ctx, seen, thrown);
    throw thrown;
  }
}

async function checkLoginChallenge(ctx: AuthContext, challenge: string, code: string, seen: LoginAttempt): Promise<VerifiedLogin> {
  // A challenge is a one-time token like a setup link: guessing it is throttled per address.
  const tokenAttempt = await reserveAttempt(ctx.env, [LIMITS.oneTimeTokensPerIp(ctx.clientIp)]);
  const parsed = await parseToken(challenge);
  const data = parsed?.kind === "oneTime" ? await tenantDataForAuthentication.byTokenTenant(ctx.env, parsed.tenantId) : null;
  if (!parsed || !data) fail("invalid_credentials", "The sign-in has expired. Start again.", { reason: "challenge_expired" });
  const { require2fa } = await requireAllowedIp(ctx, data);
  const pending = await peekOneTimeToken(data.db, data.tenantId, parsed.hash, ["login_challenge"]);
  if (!pending) fail("invalid_credentials", "The sign-in has expired. Start again.", { reason: "challenge_expired" });
  await tokenAttempt.refund();
  const user = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.id, pending.userId)))
    .get();
  if (!user || user.status !== "active") fail("invalid_credentials", "The sign-in has expired. Start again.", { reason: "challenge_expired" });
  Object.assign(seen, { data, user, email: user.email });
  await verifySecondFactorOrFail(ctx, data, user, code);
  if (!(await consumeOneTimeToken(data.db, data.tenantId, parsed.hash, ["login_challenge"]))) {
    fail("invalid_credentials", "The sign-in has expired. Start again.", { reason: "challenge_expired" });
  }
  await clearFailures(ctx.env, LIMITS.loginPerAccount(data.tenant.slug, user.email));
  return { data, user, mustEnrollTotp: require2fa && !user.totpEnabled };
}
