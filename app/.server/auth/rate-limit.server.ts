import ipaddr from "ipaddr.js";
import type { KuraEnv } from "../env/env";
import { fail } from "../http/errors.server";

/**
 * Throttling of guessable secrets: reserve, then verify (ADR 0017).
 *
 * Fixed-window counters in the control-plane D1, so every isolate and every
 * colo sees the same count. An attempt takes its slot atomically *before* the
 * expensive or secret-dependent check (Argon2, TOTP, a token lookup), and
 * gives it back when the check succeeds. So a burst of N parallel guesses is
 * evaluated at most `max` times: the rest are refused before any work is done,
 * whatever order the requests run in. (Checking first and counting the failure
 * afterwards let all of a burst through: each request saw the count before any
 * of them had failed.)
 *
 * Keys name what is limited, e.g. "login:acct:<tenant>:<email>" and
 * "login:ip:<ip or IPv6 /64>".
 */
export type Limit = { key: string; max: number; windowSeconds: number };

/**
 * The part of a client address that one party controls: the address for
 * IPv4, the /64 for IPv6 (a single host is routinely given a whole /64, so
 * keying by the full address let a client rotate past any per-IP limit).
 */
export function clientKey(ip: string | null | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return "unknown";
  let addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

export const LIMITS = {
  loginPerAccount: (tenant: string, email: string): Limit => ({ key: `login:acct:${tenant}:${email}`, max: 10, windowSeconds: 900 }),
  loginPerIp: (ip: string | null): Limit => ({ key: `login:ip:${clientKey(ip)}`, max: 50, windowSeconds: 900 }),
  otpPerAccount: (userId: string): Limit => ({ key: `otp:acct:${userId}`, max: 10, windowSeconds: 900 }),
  resetPerAccount: (tenant: string, email: string): Limit => ({ key: `reset:acct:${tenant}:${email}`, max: 5, windowSeconds: 3600 }),
  resetPerIp: (ip: string | null): Limit => ({ key: `reset:ip:${clientKey(ip)}`, max: 20, windowSeconds: 3600 }),
  /** Setup, reset and sign-in challenge tokens presented from one address. */
  oneTimeTokensPerIp: (ip: string | null): Limit => ({ key: `setup:ip:${clientKey(ip)}`, max: 20, windowSeconds: 900 }),
  /**
   * `auth.login_failed` events written per tenant: an anonymous caller must
   * not be able to fill a tenant's audit log (every address and e-mail it
   * rotates through would otherwise add events without end).
   */
  loginFailedEventsPerTenant: (tenantId: string): Limit => ({ key: `audit:login_failed:${tenantId}`, max: 100, windowSeconds: 900 }),
  /** A share link's password, like an account's: per link and per address (issue #14). */
  sharePassword: (linkId: string): Limit => ({ key: `share:pw:${linkId}`, max: 10, windowSeconds: 900 }),
  sharePasswordPerIp: (ip: string | null): Limit => ({ key: `share:pw:ip:${clientKey(ip)}`, max: 50, windowSeconds: 900 }),
  /** E-mailed one-time codes of a share link: guesses per link, mails per link and per address. */
  shareCode: (linkId: string): Limit => ({ key: `share:code:${linkId}`, max: 10, windowSeconds: 600 }),
  shareCodeMail: (linkId: string): Limit => ({ key: `share:mail:${linkId}`, max: 5, windowSeconds: 600 }),
  shareCodeMailPerIp: (ip: string | null): Limit => ({ key: `share:mail:ip:${clientKey(ip)}`, max: 20, windowSeconds: 600 }),
} as const;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Takes one slot of the limit in one statement and returns the count and
 * window after it. A window opens at the first attempt and lasts
 * `windowSeconds` (anchored there, not at a clock boundary, so "10 in a row"
 * is always 10).
 */
function takeSlot(env: KuraEnv, limit: Limit, nowSec: number): D1PreparedStatement {
  return env.CONTROL_DB.prepare(
    `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
     ON CONFLICT(key) DO UPDATE SET
       count = CASE WHEN window_start > ?2 - ?3 THEN count + 1 ELSE 1 END,
       window_start = CASE WHEN window_start > ?2 - ?3 THEN window_start ELSE ?2 END
     RETURNING count, window_start AS windowStart`,
  ).bind(limit.key, nowSec, limit.windowSeconds);
}

/** Gives a slot back, in the window it was taken from (a new window owes nothing). */
function giveBack(env: KuraEnv, key: string, windowStart: number): D1PreparedStatement {
  return env.CONTROL_DB.prepare("UPDATE rate_limits SET count = MAX(count - 1, 0) WHERE key = ?1 AND window_start = ?2").bind(key, windowStart);
}

type Slot = { key: string; windowStart: number };

/** A reserved attempt. Keep it when the check fails; `refund` it when the check succeeds. */
export type Attempt = {
  /** Gives back the slots (the secret was right: it was not a guess). */
  refund(): Promise<void>;
};

/**
 * Reserves one attempt under every limit, atomically (one D1 batch). When any
 * limit is spent, nothing is kept (the attempt is not evaluated, so it costs
 * nothing) and the request fails with 429 rate_limited and Retry-After.
 */
export async function reserveAttempt(env: KuraEnv, limits: Limit[], nowSec = nowSeconds()): Promise<Attempt> {
  const results = await env.CONTROL_DB.batch<{ count: number; windowStart: number }>(limits.map((l) => takeSlot(env, l, nowSec)));
  const slots: Slot[] = [];
  let wait = 0;
  results.forEach((result, i) => {
    const row = result.results[0]!;
    const limit = limits[i]!;
    slots.push({ key: limit.key, windowStart: row.windowStart });
    if (row.count > limit.max) wait = Math.max(wait, 1, row.windowStart + limit.windowSeconds - nowSec);
  });
  let refunded = false;
  const refund = async () => {
    if (refunded || slots.length === 0) return;
    refunded = true;
    await env.CONTROL_DB.batch(slots.map((s) => giveBack(env, s.key, s.windowStart)));
  };
  if (wait > 0) {
    await refund();
    fail("rate_limited", "Too many attempts. Try again later.", { headers: { "Retry-After": String(wait) } });
  }
  return { refund };
}

/**
 * Counts one occurrence and says whether it is still within the limit, without
 * refusing anything (for budgets such as audit events of failed sign-ins).
 * Returns the count after this occurrence.
 */
export async function countOccurrence(env: KuraEnv, limit: Limit, nowSec = nowSeconds()): Promise<number> {
  const row = await takeSlot(env, limit, nowSec).first<{ count: number }>();
  return row?.count ?? 1;
}

/** Forgets an account's failures after its owner has proven who they are (a full sign-in). */
export async function clearFailures(env: KuraEnv, limit: Limit): Promise<void> {
  await env.CONTROL_DB.prepare("DELETE FROM rate_limits WHERE key = ?").bind(limit.key).run();
}
