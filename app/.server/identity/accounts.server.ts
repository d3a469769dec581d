import { and, desc, eq } from "drizzle-orm";
import { apiTokens, recoveryCodes, sessions, users } from "../db/tenant-schema";
import { tenantData, tenantDataForAuthentication, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { isUniqueViolation } from "../db/errors.server";
import { encryptSecret, requireDataKey } from "../auth/crypto.server";
import { hashPassword, passwordProblem, verifyPassword } from "../auth/password.server";
import { LIMITS, reserveAttempt } from "../auth/rate-limit.server";
import { credentialRevocations, rotateSession } from "../auth/sessions.server";
import { hashRecoveryCode, newRecoveryCodes, newTotpKey, totpEnrollment, verifyTotp } from "../auth/totp.server";
import { issueToken, parseToken } from "../auth/tokens.server";
import { sendMail } from "../mail/mail.server";
import { requirePublicOrigin, resetLinkFor, resetMail, setupLinkFor, setupMail } from "../mail/templates.server";
import type { Principal, TenantPrincipal } from "~/policy/access";
import { invalidField, PASSWORD_PROBLEM_MESSAGES, PASSWORD_PROBLEM_REASONS } from "./errors.server";
import { totpContext, totpKeyOf, type AuthContext } from "./login.server";
import { consumeOneTimeToken, issueOneTimeToken, peekOneTimeToken } from "./setup-tokens.server";
import { apiTimeZone, meOf, userView } from "./user-view.server";
import { commitAudited, recordAudit } from "../audit/record.server";

type Ctx = AuthContext & { principal: Principal };

function checkNewPassword(password: string, path: string): void {
  const problem = passwordProblem(password);
  if (problem) invalidField(path, PASSWORD_PROBLEM_MESSAGES[problem], { reason: PASSWORD_PROBLEM_REASONS[problem] });
}

// --------------------------------------------------------------------------
// Setup and reset
// --------------------------------------------------------------------------

/** Creates an invited user with a 7-day setup link, and mails the link. */
export async function inviteUserRecord(
  ctx: AuthContext,
  data: TenantData,
  p: { email: string; name: string; tenantRole: "tenant_admin" | "user"; firstAdmin: boolean },
) {
  // Checked before the user is created: an invitation whose link cannot be sent is no invitation.
  requirePublicOrigin(ctx.publicOrigin);
  const email = p.email.trim().toLowerCase();
  const exists = await data.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.email, email)))
    .get();
  if (exists) fail("conflict", "A user with this e-mail already exists in the tenant.", { reason: "duplicate_email" });
  let user: typeof users.$inferSelect;
  const id = newId("user");
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [data.db.insert(users).values({ id, tenantId: data.tenantId, email, name: p.name.trim(), tenantRole: p.tenantRole, status: "invited" }).returning()],
      { action: "user.created", target: { type: "user", id, name: email }, details: { email, tenantRole: p.tenantRole, firstAdmin: p.firstAdmin } },
    );
    user = rows[0]!;
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", "A user with this e-mail already exists in the tenant.", { reason: "duplicate_email" });
    throw error;
  }
  const setupToken = await issueOneTimeToken(data.db, data.tenantId, user.id, "setup");
  // A new user has chosen no language yet: the mail carries both.
  await sendMail(
    ctx,
    setupMail({
      to: email,
      tenantName: data.tenant.name,
      link: setupLinkFor(ctx.publicOrigin, setupToken),
      tenantId: data.tenantId,
      firstAdmin: p.firstAdmin,
      locale: null,
    }),
  );
  return { user: userView(user), setupToken };
}

/** For the setup page: who is this link for (without using it up)? */
export async function describeSetupToken(ctx: AuthContext, token: string) {
  const parsed = await parseToken(token);
  if (!parsed || parsed.kind !== "oneTime") return null;
  const data = await tenantDataForAuthentication.byTokenTenant(ctx.env, parsed.tenantId);
  if (!data) return null;
  const row = await peekOneTimeToken(data.db, data.tenantId, parsed.hash, ["setup", "reset"]);
  if (!row) return null;
  const user = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.id, row.userId)))
    .get();
  if (!user || user.status === "disabled") return null;
  return { email: user.email, tenant: data.tenant, purpose: row.purpose };
}

/**
 * POST /auth/setup: sets the password of an invited user or first admin, or
 * a new password after a reset. Single use; a reset revokes every session.
 */
export async function setPasswordWithToken(ctx: AuthContext, token: string, password: string) {
  checkNewPassword(password, "password");
  // Guessing tokens is throttled per IP, and a token is checked before any
  // Argon2 work is spent on the password.
  const attempt = await reserveAttempt(ctx.env, [LIMITS.oneTimeTokensPerIp(ctx.clientIp)]);
  const parsed = await parseToken(token);
  const data = parsed?.kind === "oneTime" ? await tenantDataForAuthentication.byTokenTenant(ctx.env, parsed.tenantId) : null;
  const invalid = (): never => fail("bad_request", "This link is invalid, used or expired. Ask for a new one.", { reason: "link_invalid" });
  if (!parsed || !data || !(await peekOneTimeToken(data.db, data.tenantId, parsed.hash, ["setup", "reset"]))) return invalid();
  await attempt.refund();
  const hash = await hashPassword(password, ctx.config.argon2);
  const consumed = await consumeOneTimeToken(data!.db, data!.tenantId, parsed!.hash, ["setup", "reset"]);
  if (!consumed) return invalid();
  const user = await data!.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data!.tenantId), eq(users.id, consumed!.userId)))
    .get();
  if (!user || user.status === "disabled") return invalid();
  const nowIso = new Date().toISOString();
  await commitAudited(
    ctx,
    data!,
    [
      data!.db
        .update(users)
        .set({ passwordHash: hash, status: "active", passwordChangedAt: nowIso, updatedAt: nowIso })
        .where(and(eq(users.tenantId, data!.tenantId), eq(users.id, user!.id))),
      ...credentialRevocations(data!.db, data!.tenantId, user!.id),
    ],
    {
      action: consumed!.purpose === "reset" ? "auth.password_reset" : "auth.password_set",
      actor: { type: "user", id: user!.id, email: user!.email },
      target: { type: "user", id: user!.id, name: user!.email },
    },
  );
  return { userId: user!.id, tenant: data!.tenant, email: user!.email };
}

/**
 * POST /auth/password-reset: always the same answer. The lookup, token and
 * e-mail happen after the response (waitUntil), so timing tells nothing.
 */
export async function requestPasswordReset(ctx: AuthContext, p: { tenant: string; email: string }): Promise<void> {
  const slug = p.tenant.trim().toLowerCase();
  const email = p.email.trim().toLowerCase();
  // Every request spends a slot (no refund): each one may send an e-mail.
  await reserveAttempt(ctx.env, [LIMITS.resetPerAccount(slug, email), LIMITS.resetPerIp(ctx.clientIp)]);
  ctx.waitUntil(
    (async () => {
      const data = await tenantDataForAuthentication.bySlug(ctx.env, slug);
      if (!data) return;
      const user = await data.db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, data.tenantId), eq(users.email, email)))
        .get();
      if (!user || user.status === "disabled") return;
      if (user.status === "invited") {
        // An invitation whose link expired: the same request sends a fresh
        // setup link (the mailbox proves who it is, as for a reset).
        const setupToken = await issueOneTimeToken(data.db, data.tenantId, user.id, "setup");
        const link = setupLinkFor(ctx.publicOrigin, setupToken);
        await recordAudit(ctx, data, {
          action: "user.invitation_resent",
          actor: { type: "user", id: null, email },
          target: { type: "user", id: user.id, name: user.email },
        });
        await sendMail(ctx, setupMail({ to: email, tenantName: data.tenant.name, link, tenantId: data.tenantId, firstAdmin: false, locale: user.locale }));
        return;
      }
      const token = await issueOneTimeToken(data.db, data.tenantId, user.id, "reset");
      await recordAudit(ctx, data, {
        action: "auth.password_reset_requested",
        actor: { type: "user", id: null, email },
        target: { type: "user", id: user.id, name: user.email },
      });
      await sendMail(
        ctx,
        resetMail({ to: email, tenantName: data.tenant.name, link: resetLinkFor(ctx.publicOrigin, token), tenantId: data.tenantId, locale: user.locale }),
      );
    })(),
  );
}

// --------------------------------------------------------------------------
// Signed-in account
// --------------------------------------------------------------------------

function me(ctx: Ctx): TenantPrincipal {
  if (ctx.principal.type !== "tenant_user") fail("unauthenticated", "Sign in first.");
  return ctx.principal;
}

async function currentUser(ctx: Ctx) {
  const principal = me(ctx);
  const data = await tenantData(ctx);
  const user = await data.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, data.tenantId), eq(users.id, principal.userId)))
    .get();
  if (!user) fail("unauthenticated", "Sign in first.");
  return { principal, data, user };
}

async function requireCurrentPassword(ctx: Ctx, user: typeof users.$inferSelect, data: TenantData, password: string, path: string) {
  // The same account limit as sign-in: a stolen session must not become a password oracle.
  const attempt = await reserveAttempt(ctx.env, [LIMITS.loginPerAccount(data.tenant.slug, user.email)]);
  const ok = user.passwordHash ? (await verifyPassword(password, user.passwordHash, ctx.config.argon2)).ok : false;
  if (!ok) invalidField(path, "The password is not correct.", { reason: "password_incorrect" });
  await attempt.refund();
}

/** POST /auth/password. Every other session and token of the user is revoked. */
export async function changePassword(ctx: Ctx, p: { currentPassword: string; newPassword: string }) {
  const { principal, data, user } = await currentUser(ctx);
  await requireCurrentPassword(ctx, user, data, p.currentPassword, "currentPassword");
  checkNewPassword(p.newPassword, "newPassword");
  const nowIso = new Date().toISOString();
  const passwordHash = await hashPassword(p.newPassword, ctx.config.argon2);
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({ passwordHash, passwordChangedAt: nowIso, updatedAt: nowIso })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id))),
      // Every other session and token goes in the same transaction.
      ...credentialRevocations(data.db, data.tenantId, user.id, principal.credential),
    ],
    { action: "auth.password_changed", target: { type: "user", id: user.id, name: user.email } },
  );
  // A browser session is re-issued (privilege change); API credentials stay.
  if (principal.credential.kind === "browser_session") {
    return rotateSession(data.db, ctx.config, {
      tenantId: data.tenantId,
      userId: user.id,
      oldHash: principal.credential.id,
      ip: ctx.clientIp,
      userAgent: ctx.userAgent,
    });
  }
  return null;
}

/** POST /auth/totp/enroll: a new pending key; enabled only after confirmation. */
export async function enrollTotp(ctx: Ctx) {
  const { data, user } = await currentUser(ctx);
  if (user.totpEnabled)
    fail("conflict", "Two-factor authentication is already enabled. Disable it first to change the device.", { reason: "totp_already_enabled" });
  const key = requireDataKey(ctx.env);
  const totpKey = newTotpKey();
  const sealed = await encryptSecret(new Uint8Array(totpKey), key, totpContext(data.tenantId, user.id));
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({ totpSecret: sealed, totpLastStep: 0 })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id))),
    ],
    {
      action: "auth.totp_enrollment_started",
      target: { type: "user", id: user.id, name: user.email },
    },
  );
  return totpEnrollment(totpKey, `${user.email} (${data.tenant.slug})`);
}

/** POST /auth/totp/confirm: enables 2FA and returns 10 fresh recovery codes. */
export async function confirmTotp(ctx: Ctx, otp: string) {
  const { principal, data, user } = await currentUser(ctx);
  if (user.totpEnabled) fail("conflict", "Two-factor authentication is already enabled.", { reason: "totp_already_enabled" });
  const totpKey = await totpKeyOf(ctx, user);
  if (!totpKey) fail("conflict", "Start enrolment first (POST /api/v1/auth/totp/enroll).", { reason: "totp_not_started" });
  const attempt = await reserveAttempt(ctx.env, [LIMITS.otpPerAccount(user.id)]);
  const step = verifyTotp(totpKey, otp.trim(), user.totpLastStep);
  if (step === null) fail("invalid_otp", "The code is wrong. Check the time on your device and try again.");
  await attempt.refund();
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map(hashRecoveryCode));
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({ totpEnabled: true, totpLastStep: step, updatedAt: new Date().toISOString() })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id))),
      data.db.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, data.tenantId), eq(recoveryCodes.userId, user.id))),
      data.db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ codeHash, tenantId: data.tenantId, userId: user.id }))),
    ],
    { action: "auth.totp_enabled", target: { type: "user", id: user.id, name: user.email } },
  );
  const rotated =
    principal.credential.kind === "browser_session"
      ? await rotateSession(data.db, ctx.config, {
          tenantId: data.tenantId,
          userId: user.id,
          oldHash: principal.credential.id,
          ip: ctx.clientIp,
          userAgent: ctx.userAgent,
        })
      : null;
  return { recoveryCodes: codes, rotated };
}

/** DELETE /auth/totp: only with the password, for every user, admins included. */
export async function disableTotp(ctx: Ctx, password: string) {
  const { data, user } = await currentUser(ctx);
  await requireCurrentPassword(ctx, user, data, password, "password");
  if (!user.totpEnabled && !user.totpSecret) fail("conflict", "Two-factor authentication is not enabled.", { reason: "totp_not_enabled" });
  // With "require 2FA" on, the user must enrol again before anything else:
  // the guard decides that per request from the tenant's setting.
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({ totpEnabled: false, totpSecret: null, totpLastStep: 0, updatedAt: new Date().toISOString() })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id))),
      data.db.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, data.tenantId), eq(recoveryCodes.userId, user.id))),
    ],
    { action: "auth.totp_disabled", target: { type: "user", id: user.id, name: user.email } },
  );
}

// --------------------------------------------------------------------------
// Personal API tokens
// --------------------------------------------------------------------------

export async function createApiToken(ctx: Ctx, p: { name: string; expiresInDays: number }) {
  const { data, user } = await currentUser(ctx);
  const { token, hash } = await issueToken("personal", data.tenantId);
  const id = newId("apiToken");
  const expiresAt = new Date(Date.now() + p.expiresInDays * 86_400_000).toISOString();
  await commitAudited(
    ctx,
    data,
    [data.db.insert(apiTokens).values({ id, tenantId: data.tenantId, userId: user.id, name: p.name.trim(), tokenHash: hash, expiresAt })],
    { action: "auth.token_created", target: { type: "api_token", id, name: p.name.trim() }, details: { name: p.name.trim(), expiresAt } },
  );
  return { id, token, name: p.name.trim(), expiresAt };
}

export async function listApiTokens(ctx: Ctx) {
  const { data, user } = await currentUser(ctx);
  const rows = await data.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tenantId, data.tenantId), eq(apiTokens.userId, user.id)))
    .orderBy(desc(apiTokens.createdAt))
    .all();
  return rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt }));
}

/** Only the owner's own tokens; anyone else's id is "not found". */
export async function deleteApiToken(ctx: Ctx, id: string) {
  const { data, user } = await currentUser(ctx);
  const own = await data.db
    .select({ id: apiTokens.id, name: apiTokens.name })
    .from(apiTokens)
    .where(and(eq(apiTokens.tenantId, data.tenantId), eq(apiTokens.userId, user.id), eq(apiTokens.id, id)))
    .get();
  if (!own) fail("not_found", "No such token.");
  await commitAudited(ctx, data, [data.db.delete(apiTokens).where(and(eq(apiTokens.tenantId, data.tenantId), eq(apiTokens.id, own.id)))], {
    action: "auth.token_revoked",
    target: { type: "api_token", id: own.id, name: own.name },
    details: { name: own.name },
  });
}

/** POST /auth/logout and the UI's logout: the presenting credential dies. */
export async function logout(ctx: Ctx): Promise<void> {
  const principal = me(ctx);
  const data = await tenantData(ctx);
  const revoke =
    principal.credential.kind === "personal_token"
      ? data.db.delete(apiTokens).where(and(eq(apiTokens.tenantId, data.tenantId), eq(apiTokens.id, principal.credential.id)))
      : data.db.delete(sessions).where(and(eq(sessions.tenantId, data.tenantId), eq(sessions.tokenHash, principal.credential.id)));
  await commitAudited(ctx, data, [revoke], {
    action: "auth.logout",
    target: { type: "user", id: principal.userId, name: principal.email },
    details: { credential: principal.credential.kind },
  });
}

/** PATCH /me: the user's own display name and language. */
export async function updateProfile(ctx: Ctx, p: { name?: string | undefined; locale?: "ja" | "en" | undefined; timeZone?: string | null | undefined }) {
  const { principal, data, user } = await currentUser(ctx);
  const changes = {
    ...(p.name !== undefined ? { name: p.name.trim() } : {}),
    ...(p.locale !== undefined ? { locale: p.locale } : {}),
    ...(p.timeZone !== undefined ? { timeZone: p.timeZone } : {}),
  };
  const [rows] = await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(users)
        .set({ ...changes, updatedAt: new Date().toISOString() })
        .where(and(eq(users.tenantId, data.tenantId), eq(users.id, user.id)))
        .returning(),
    ],
    { action: "user.profile_updated", target: { type: "user", id: user.id, name: user.email }, details: changes },
  );
  return meOf(data.tenant, rows[0]!, principal.tenantTimeZone);
}

export async function updateOwnLocale(ctx: Ctx, locale: "ja" | "en") {
  await updateProfile(ctx, { locale });
}

/** GET /me */
export function meView(principal: TenantPrincipal) {
  return {
    id: principal.userId,
    email: principal.email,
    name: principal.name,
    tenant: { id: principal.tenantId, slug: principal.tenantSlug, name: principal.tenantName },
    tenantRole: principal.tenantRole,
    twoFactorEnabled: principal.twoFactorEnabled,
    locale: principal.locale,
    timeZone: principal.timeZone,
    effectiveTimeZone: apiTimeZone(principal, principal.tenantTimeZone),
  };
}
