import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { recordAudit, type AuditContext } from "../audit/record.server";
import { randomSecret, sha256Hex } from "../auth/crypto.server";
import { verifyPassword } from "../auth/password.server";
import { LIMITS, reserveAttempt } from "../auth/rate-limit.server";
import { controlDb } from "../db/control.server";
import { shareLinkIndex } from "../db/control-schema";
import { shareGuestSessions, shareLinks, shares } from "../db/tenant-schema";
import { tenantDataForAuthentication, type TenantData } from "../db/tenant-data.server";
import { changesStatement, countIn } from "../db/raw-statement.server";
import { fail } from "../http/errors.server";
import { sendMail } from "../mail/mail.server";
import { guestCodeMail } from "../mail/templates.server";
import { bearerToken } from "../operator/operator-auth.server";
import type { KuraContext } from "../context";
import { shareState } from "./shares.server";
import type { GuestCodeBodySchema, GuestSessionBodySchema } from "~/schemas/review";
import type { Locale } from "~/i18n/locale";

/**
 * Shares, the guest's door (issue #14; contract "Review and sharing"). A URL's token leads through
 * the control plane's index to its tenant, which must be active (a terminated tenant's shares stop
 * at once), then to its link and share, which must be live: an expired, paused or revoked share,
 * or a revoked link, is 404 on every guest endpoint. The password is throttled like a sign-in; a
 * right one (or none) gives a guest session. A share that verifies e-mail addresses then sends a
 * one-time code (10 minutes, throttled) to the recipient's address (an anonymous link: the address
 * the guest gives), and only a session that proved it reaches the share; the address is then the
 * guest's identity in the audit log, on their comments and in the watermark.
 *
 * The API carries the guest session as `Bearer <guestToken>` (it never reads cookies); the guest
 * portal's pages and its /web/v1 mirror carry it in an HttpOnly cookie named after the link.
 */

export type GuestCtx = AuditContext & Pick<KuraContext, "config" | "waitUntil">;
export type Opened = { data: TenantData; link: typeof shareLinks.$inferSelect; share: typeof shares.$inferSelect };
export type Guest = Opened & { email: string | null; sessionExpiresAt: string };

const GUEST_SESSION_MS = 12 * 3_600_000;
export const GUEST_CODE_MS = 10 * 60_000;
const GUEST_TOKEN = /^kura_g\.([a-z]{3}_[a-z2-7]{26})\.([a-z2-7]{40,64})$/;

export async function openLink(ctx: Pick<GuestCtx, "env">, token: string): Promise<Opened> {
  const tokenHash = await sha256Hex(token);
  const index = await controlDb(ctx.env).select().from(shareLinkIndex).where(eq(shareLinkIndex.tokenHash, tokenHash)).get();
  if (!index) fail("not_found", "No such share.");
  const data = await tenantDataForAuthentication.byTokenTenant(ctx.env, index.tenantId);
  if (!data) fail("not_found", "No such share.");
  const link = await data.db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.tokenHash, tokenHash)))
    .get();
  if (!link || link.revokedAt) fail("not_found", "No such share.");
  const share = await data.db
    .select()
    .from(shares)
    .where(and(eq(shares.tenantId, data.tenantId), eq(shares.id, link.shareId)))
    .get();
  if (!share || shareState(share) !== "active") fail("not_found", "No such share.");
  return { data, link, share };
}

/** Guest events name the link and the guest's address (verified, else the link's recipient) as the actor. */
export const guestActor = (o: Opened, email: string | null = o.link.recipientEmail) => ({ type: "guest" as const, id: o.link.id, email });

/** How a guest is named to the team (markers, approvals) and in the watermark. */
export const guestName = (g: Guest) => g.email ?? `Guest ${g.link.id.slice(-6)}`;

/** The cookie that carries a guest session in the browser: one per link, so two shares open side by side do not meet. */
export async function guestCookieName(shareToken: string) {
  return `kura_guest_${(await sha256Hex(`cookie:${shareToken}`)).slice(0, 16)}`;
}

export async function guestCookie(shareToken: string, guestToken: string, expiresAt: string, secure: boolean) {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  return `${await guestCookieName(shareToken)}=${guestToken}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

async function cookieToken(request: Request, shareToken: string): Promise<string | null> {
  const name = await guestCookieName(shareToken);
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=") || null;
  }
  return null;
}

/** The API reads only the bearer; the portal's pages and /web/v1 only the cookie. */
async function presentedGuestToken(request: Request, shareToken: string) {
  return new URL(request.url).pathname.startsWith("/api/") ? bearerToken(request) : cookieToken(request, shareToken);
}

function codeEmail(o: Opened, given: string | undefined): string {
  const email = o.link.recipientEmail ?? given;
  if (!email) fail("validation_failed", "Give your e-mail address: a code will be sent to it.", { fields: [{ path: "email", message: "Required." }] });
  return email;
}

async function codeHashOf(sessionHash: string, code: string) {
  return sha256Hex(`${sessionHash}:${code}`);
}

function newCode(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
  return String(n).padStart(6, "0");
}

async function mailCode(ctx: GuestCtx, o: Opened, email: string, code: string, locale: Locale | null) {
  await sendMail(ctx, guestCodeMail({ to: email, tenantName: o.data.tenant.name, code, tenantId: o.data.tenantId, locale }));
}

/**
 * POST /public/shares/{token}/session: the password (when the share has one) for a guest session.
 * When the share verifies addresses, the session waits for the code just e-mailed
 * (`verification.sentTo`), and the guest token reaches nothing until POST …/session/verify.
 */
export async function startGuestSession(ctx: GuestCtx, token: string, body: z.output<typeof GuestSessionBodySchema>, locale: Locale | null = null) {
  const opened = await openLink(ctx, token);
  const { data, link, share } = opened;
  const email = share.verifyEmail ? codeEmail(opened, body.email) : null;
  if (share.passwordHash) {
    const attempt = await reserveAttempt(ctx.env, [LIMITS.sharePassword(link.id), LIMITS.sharePasswordPerIp(ctx.clientIp)]);
    const ok = body.password ? (await verifyPassword(body.password, share.passwordHash, ctx.config.argon2)).ok : false;
    if (!ok) {
      await recordAudit(ctx, data, {
        action: "share.access_denied",
        actor: guestActor(opened),
        outcome: "denied",
        target: { type: "share", id: share.id },
        details: { projectId: share.projectId, reason: body.password ? "wrong_password" : "no_password" },
      });
      fail("invalid_credentials", "That password is not right.");
    }
    await attempt.refund();
  }
  // Codes to one link are throttled before one is made, so nobody can flood a recipient's mailbox.
  if (email) await reserveAttempt(ctx.env, [LIMITS.shareCodeMail(link.id), LIMITS.shareCodeMailPerIp(ctx.clientIp)]);
  const guestToken = `kura_g.${data.tenantId}.${randomSecret(32)}`;
  const tokenHash = await sha256Hex(guestToken);
  const now = Date.now();
  const expiresAt = new Date(Math.min(now + GUEST_SESSION_MS, Date.parse(share.expiresAt))).toISOString();
  const code = email ? newCode() : null;
  await data.db
    .insert(shareGuestSessions)
    .values({
      tokenHash,
      tenantId: data.tenantId,
      linkId: link.id,
      expiresAt,
      guestEmail: email,
      codeHash: code ? await codeHashOf(tokenHash, code) : null,
      codeExpiresAt: code ? new Date(now + GUEST_CODE_MS).toISOString() : null,
      verifiedAt: code ? null : new Date(now).toISOString(),
    })
    .run();
  if (email && code) {
    await mailCode(ctx, opened, email, code, locale);
    return { guestToken, expiresAt, verification: { sentTo: email } };
  }
  await admitted(ctx, opened, null, now);
  return { guestToken, expiresAt, verification: null };
}

/** The link's counters and the `share.accessed` event, once a session may see the share. */
async function admitted(ctx: GuestCtx, opened: Opened, email: string | null, now: number) {
  const { data, link, share } = opened;
  await data.db
    .update(shareLinks)
    .set({ accesses: sql`${shareLinks.accesses} + 1`, lastAccessAt: new Date(now).toISOString() })
    .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.id, link.id)))
    .run();
  await recordAudit(ctx, data, {
    action: "share.accessed",
    actor: guestActor(opened, email ?? link.recipientEmail),
    target: { type: "share", id: share.id },
    details: { projectId: share.projectId, verified: email !== null },
  });
}

async function sessionOf(opened: Opened, presented: string | null) {
  const match = presented ? GUEST_TOKEN.exec(presented) : null;
  if (!presented || !match || match[1] !== opened.data.tenantId) return null;
  const tokenHash = await sha256Hex(presented);
  const row = await opened.data.db
    .select()
    .from(shareGuestSessions)
    .where(
      and(
        eq(shareGuestSessions.tenantId, opened.data.tenantId),
        eq(shareGuestSessions.tokenHash, tokenHash),
        gt(shareGuestSessions.expiresAt, new Date().toISOString()),
      ),
    )
    .get();
  return row && row.linkId === opened.link.id ? row : null;
}

/**
 * POST /public/shares/{token}/session/verify: the e-mailed code. Right once: the code is used up
 * in the statement that accepts it, so a burst of the same code admits one request; wrong codes are
 * throttled per link and a session's code is void after a few.
 */
export async function verifyGuestCode(ctx: GuestCtx, token: string, request: Request, body: z.output<typeof GuestCodeBodySchema>) {
  const opened = await openLink(ctx, token);
  const session = await sessionOf(opened, await presentedGuestToken(request, token));
  if (!session) fail("unauthenticated", "Open the share first (POST …/session).");
  if (session.verifiedAt) fail("conflict", "This session has already been verified.");
  const attempt = await reserveAttempt(ctx.env, [LIMITS.shareCode(opened.link.id)]);
  const { data } = opened;
  const now = new Date().toISOString();
  const mine = and(eq(shareGuestSessions.tenantId, data.tenantId), eq(shareGuestSessions.tokenHash, session.tokenHash));
  const [, accepted] = await data.db.batch([
    data.db
      .update(shareGuestSessions)
      .set({ verifiedAt: now, codeHash: null, codeExpiresAt: null })
      .where(
        and(
          mine,
          isNull(shareGuestSessions.verifiedAt),
          eq(shareGuestSessions.codeHash, await codeHashOf(session.tokenHash, body.code)),
          gt(shareGuestSessions.codeExpiresAt, now),
        ),
      ),
    changesStatement(data.db),
  ]);
  if (countIn(accepted) === 0) {
    await recordAudit(ctx, data, {
      action: "share.access_denied",
      actor: guestActor(opened, session.guestEmail),
      outcome: "denied",
      target: { type: "share", id: opened.share.id },
      details: { projectId: opened.share.projectId, reason: "wrong_code" },
    });
    fail("invalid_otp", "That code is not right, or it has expired: ask for a new one.");
  }
  await attempt.refund();
  await admitted(ctx, opened, session.guestEmail, Date.now());
  return { verified: true as const, email: session.guestEmail, expiresAt: session.expiresAt };
}

/**
 * The live link and a verified guest session of it (401 without one; 401 otp_required while the
 * e-mailed code is outstanding).
 */
export async function requireGuest(ctx: Pick<GuestCtx, "env">, token: string, request: Request): Promise<Guest> {
  const opened = await openLink(ctx, token);
  const session = await sessionOf(opened, await presentedGuestToken(request, token));
  if (!session) fail("unauthenticated", "Open the share first (POST …/session).");
  if (!session.verifiedAt) fail("otp_required", "Enter the code e-mailed to you first (POST …/session/verify).");
  return guestOf(opened, session);
}

function guestOf(opened: Opened, session: typeof shareGuestSessions.$inferSelect): Guest {
  return { ...opened, email: session.guestEmail ?? opened.link.recipientEmail, sessionExpiresAt: session.expiresAt };
}

/**
 * The session a portal page holds, if any, and whether it still waits for its code (no throw: the
 * page shows its forms); with a verified one, the guest as requireGuest would answer (the page
 * does not look the link and the session up a second time).
 */
export async function guestSessionState(ctx: Pick<GuestCtx, "env">, token: string, request: Request) {
  const opened = await openLink(ctx, token);
  const session = await sessionOf(opened, await presentedGuestToken(request, token));
  return {
    opened,
    session: session ? { verified: session.verifiedAt !== null, email: session.guestEmail } : null,
    guest: session?.verifiedAt ? guestOf(opened, session) : null,
  };
}
