import { sql } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { rateLimits } from "../db/control-schema";
import { fail } from "../http/errors.server";

/**
 * Fixed-window counters in the control-plane D1, so every isolate and every
 * colo sees the same count. Keys name what is limited, e.g.
 * "login:acct:<tenant>:<email>" and "login:ip:<ip>".
 */
export type Limit = { key: string; max: number; windowSeconds: number };

export const LIMITS = {
  loginPerAccount: (tenant: string, email: string): Limit => ({ key: `login:acct:${tenant}:${email}`, max: 10, windowSeconds: 900 }),
  loginPerIp: (ip: string): Limit => ({ key: `login:ip:${ip}`, max: 50, windowSeconds: 900 }),
  otpPerAccount: (userId: string): Limit => ({ key: `otp:acct:${userId}`, max: 10, windowSeconds: 900 }),
  resetPerAccount: (tenant: string, email: string): Limit => ({ key: `reset:acct:${tenant}:${email}`, max: 5, windowSeconds: 3600 }),
  resetPerIp: (ip: string): Limit => ({ key: `reset:ip:${ip}`, max: 20, windowSeconds: 3600 }),
  /** Invalid setup/reset tokens presented from one IP. */
  setupPerIp: (ip: string): Limit => ({ key: `setup:ip:${ip}`, max: 20, windowSeconds: 900 }),
} as const;

/**
 * A window opens at the first failure and lasts `windowSeconds`; within it,
 * `max` failures spend the limit. (Anchoring at the first failure, not at a
 * clock boundary, means "10 in a row" is always 10, whatever the time.)
 */
export async function retryAfter(env: KuraEnv, limit: Limit, nowSec = Math.floor(Date.now() / 1000)): Promise<number> {
  const row = await controlDb(env).select().from(rateLimits).where(sql`${rateLimits.key} = ${limit.key}`).get();
  if (!row || row.windowStart <= nowSec - limit.windowSeconds || row.count < limit.max) return 0;
  return Math.max(1, row.windowStart + limit.windowSeconds - nowSec);
}

/** Counts one failure atomically (a single upsert statement). */
export async function recordFailure(env: KuraEnv, limit: Limit, nowSec = Math.floor(Date.now() / 1000)): Promise<void> {
  await env.CONTROL_DB.prepare(
    `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
     ON CONFLICT(key) DO UPDATE SET
       count = CASE WHEN window_start > ?2 - ?3 THEN count + 1 ELSE 1 END,
       window_start = CASE WHEN window_start > ?2 - ?3 THEN window_start ELSE ?2 END`,
  )
    .bind(limit.key, nowSec, limit.windowSeconds)
    .run();
}

export async function clearFailures(env: KuraEnv, limit: Limit): Promise<void> {
  await env.CONTROL_DB.prepare("DELETE FROM rate_limits WHERE key = ?").bind(limit.key).run();
}

/** Throws 429 rate_limited with Retry-After when any of the limits is spent. */
export async function requireUnderLimits(env: KuraEnv, limits: Limit[]): Promise<void> {
  const waits = await Promise.all(limits.map((l) => retryAfter(env, l)));
  const wait = Math.max(0, ...waits);
  if (wait > 0) {
    fail("rate_limited", "Too many attempts. Try again later.", { headers: { "Retry-After": String(wait) } });
  }
}
