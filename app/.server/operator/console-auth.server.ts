import { and, eq, gt, sql } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { operators, operatorSessions } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import type { KuraConfig } from "../env/config.server";
import { readSecrets } from "../env/secrets.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { decryptSecret, encryptSecret, randomSecret, requireDataKey, sha256Hex } from "../auth/crypto.server";
import { burnVerification, hashPassword, passwordProblem, verifyPassword } from "../auth/password.server";
import { clientKey, reserveAttempt, type Limit } from "../auth/rate-limit.server";
import { newTotpKey, totpEnrollment, verifyTotp } from "../auth/totp.server";
import { isOperatorToken } from "./operator-auth.server";

/**
 * The operator console's sign-in (ADR 0027): operator accounts with a password and TOTP, both
 * always required; the bootstrap token creates the first account only. Sessions are rows in the
 * control plane (token hashed), in two stages: `challenge` after the password (10 minutes, only the
 * code step accepts it) and `full` after the code (30 minutes idle, 8 hours at most).
 */
export const OPERATOR_COOKIE = "kura_op";
const CHALLENGE_MS = 10 * 60_000;
const IDLE_MS = 30 * 60_000;
const ABSOLUTE_MS = 8 * 3600_000;

export type ConsoleOperator = { id: string; email: string; name: string };

const LIMITS = {
  perAccount: (email: string): Limit => ({ key: `oplogin:acct:${email}`, max: 10, windowSeconds: 900 }),
  perIp: (ip: string | null): Limit => ({ key: `oplogin:ip:${clientKey(ip)}`, max: 30, windowSeconds: 900 }),
  codePerOperator: (id: string): Limit => ({ key: `opotp:acct:${id}`, max: 10, windowSeconds: 900 }),
  bootstrapPerIp: (ip: string | null): Limit => ({ key: `opsetup:ip:${clientKey(ip)}`, max: 10, windowSeconds: 900 }),
};

const totpContext = (operatorId: string) => `operator-totp:${operatorId}`;

export function operatorCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  // Strict: the console is never entered from another site's link with its session.
  return `${OPERATOR_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export function clearOperatorCookie(secure: boolean): string {
  return operatorCookie("", secure, 0);
}

function cookieToken(request: Request): string | null {
  const match = new RegExp(`(?:^|;\\s*)${OPERATOR_COOKIE}=([A-Za-z0-9_-]{20,100})(?:;|$)`).exec(request.headers.get("Cookie") ?? "");
  return match ? match[1]! : null;
}

export async function operatorCount(env: KuraEnv): Promise<number> {
  const row = await controlDb(env)
    .select({ n: sql<number>`count(*)` })
    .from(operators)
    .get();
  return Number(row?.n ?? 0);
}

async function newSession(env: KuraEnv, operatorId: string, stage: "challenge" | "full"): Promise<{ token: string; maxAgeSeconds: number }> {
  const token = randomSecret(32);
  const now = Date.now();
  const expiresAt = new Date(now + (stage === "challenge" ? CHALLENGE_MS : ABSOLUTE_MS)).toISOString();
  await controlDb(env)
    .insert(operatorSessions)
    .values({
      tokenHash: await sha256Hex(token),
      operatorId,
      stage,
      createdAt: new Date(now).toISOString(),
      expiresAt,
      lastSeenAt: new Date(now).toISOString(),
    })
    .run();
  return { token, maxAgeSeconds: Math.floor((stage === "challenge" ? CHALLENGE_MS : ABSOLUTE_MS) / 1000) };
}

const INSERT_OPERATOR = "INSERT INTO operators (id, email, name, password_hash, totp_key, totp_last_step, status, created_at)";

/**
 * A new account's values for INSERT_OPERATOR: a checked password's hash and a new authenticator key,
 * sealed; it is `pending_totp` until its first code (the sign-in's code step shows the key).
 */
async function newOperatorRow(env: KuraEnv, config: KuraConfig, input: { email: string; name: string; password: string }) {
  const problem = passwordProblem(input.password);
  if (problem) fail("validation_failed", "Choose a longer, less common password (at least 12 characters).");
  const id = newId("operator");
  const sealed = await encryptSecret(new Uint8Array(newTotpKey()), requireDataKey(env), totpContext(id));
  const passwordHash = await hashPassword(input.password, config.argon2);
  return { id, values: [id, input.email.toLowerCase(), input.name, passwordHash, sealed, new Date().toISOString()] as const };
}

/**
 * The first operator, made with the bootstrap token; refused (409) once any operator exists, by one
 * conditional insert, so a burst of set-ups makes exactly one account. The account must enrol its
 * authenticator before it can do anything: the answer is a challenge session for the code step.
 */
export async function bootstrapFirstOperator(
  env: KuraEnv,
  config: KuraConfig,
  input: { bootstrapToken: string; email: string; name: string; password: string; ip: string | null },
): Promise<{ token: string; maxAgeSeconds: number }> {
  await reserveAttempt(env, [LIMITS.bootstrapPerIp(input.ip)]);
  if (!(await isOperatorToken(input.bootstrapToken, readSecrets(env).operatorToken))) fail("invalid_credentials", "The bootstrap token is not right.");
  const row = await newOperatorRow(env, config, input);
  const inserted = await env.CONTROL_DB.prepare(
    `${INSERT_OPERATOR} SELECT ?1, ?2, ?3, ?4, ?5, 0, 'pending_totp', ?6 WHERE NOT EXISTS (SELECT 1 FROM operators)`,
  )
    .bind(...row.values)
    .run();
  if ((inserted.meta.changes ?? 0) === 0) fail("conflict", "The console is already set up: sign in, or ask an operator for an account.");
  return newSession(env, row.id, "challenge");
}

/** Step one: e-mail and password. Throttled per account and per address; the same answer for every failure. */
export async function operatorPasswordStep(
  env: KuraEnv,
  config: KuraConfig,
  input: { email: string; password: string; ip: string | null },
): Promise<{ token: string; maxAgeSeconds: number }> {
  const email = input.email.toLowerCase();
  const attempt = await reserveAttempt(env, [LIMITS.perAccount(email), LIMITS.perIp(input.ip)]);
  const op = await controlDb(env).select().from(operators).where(eq(operators.email, email)).get();
  if (!op || op.status === "disabled") {
    await burnVerification(input.password, config.argon2);
    fail("invalid_credentials", "The e-mail or password is not right.");
  }
  const checked = await verifyPassword(input.password, op.passwordHash, config.argon2);
  if (!checked.ok) fail("invalid_credentials", "The e-mail or password is not right.");
  await attempt.refund();
  return newSession(env, op.id, "challenge");
}

/** The operator a challenge cookie belongs to (null when there is none, or it expired). */
export async function challengeOperator(env: KuraEnv, request: Request) {
  const token = cookieToken(request);
  if (!token) return null;
  const row = await controlDb(env)
    .select({ op: operators, tokenHash: operatorSessions.tokenHash })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .where(
      and(
        eq(operatorSessions.tokenHash, await sha256Hex(token)),
        eq(operatorSessions.stage, "challenge"),
        gt(operatorSessions.expiresAt, new Date().toISOString()),
      ),
    )
    .get();
  if (!row || row.op.status === "disabled") return null;
  return { operator: row.op, tokenHash: row.tokenHash };
}

/** What an operator who has not enrolled yet scans (the key stays sealed at rest). */
export async function enrolmentFor(env: KuraEnv, op: { id: string; email: string; totpKey: string }) {
  const key = await decryptSecret(op.totpKey, requireDataKey(env), totpContext(op.id));
  return totpEnrollment(key, `operator:${op.email}`);
}

/**
 * Step two: the code. Throttled per operator; a code is accepted once (its step is stored by a
 * conditional update, so two requests with the same code cannot both pass). Enrolment ends here too.
 * Replaces the challenge with a full session.
 */
export async function operatorCodeStep(
  env: KuraEnv,
  request: Request,
  code: string,
): Promise<{ token: string; maxAgeSeconds: number; account: ConsoleOperator }> {
  const challenge = await challengeOperator(env, request);
  if (!challenge) fail("unauthenticated", "The sign-in has expired. Start again.");
  const op = challenge.operator;
  const attempt = await reserveAttempt(env, [LIMITS.codePerOperator(op.id)]);
  const key = await decryptSecret(op.totpKey, requireDataKey(env), totpContext(op.id));
  const step = verifyTotp(key, code.trim(), op.totpLastStep);
  if (step === null) fail("invalid_otp", "The code is not right.");
  const claimed = await controlDb(env)
    .update(operators)
    .set({ totpLastStep: step, status: "active" })
    .where(and(eq(operators.id, op.id), sql`${operators.totpLastStep} < ${step}`, sql`${operators.status} <> 'disabled'`))
    .run();
  if ((claimed.meta.changes ?? 0) === 0) fail("invalid_otp", "The code is not right.");
  await attempt.refund();
  await controlDb(env).delete(operatorSessions).where(eq(operatorSessions.tokenHash, challenge.tokenHash)).run();
  return { ...(await newSession(env, op.id, "full")), account: { id: op.id, email: op.email, name: op.name } };
}

/** The signed-in console operator, or null. Slides the idle window; never past the absolute end. */
export async function consoleOperator(env: KuraEnv, request: Request): Promise<ConsoleOperator | null> {
  const token = cookieToken(request);
  if (!token) return null;
  const now = Date.now();
  const tokenHash = await sha256Hex(token);
  const row = await controlDb(env)
    .select({ id: operators.id, email: operators.email, name: operators.name, status: operators.status, lastSeenAt: operatorSessions.lastSeenAt })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .where(and(eq(operatorSessions.tokenHash, tokenHash), eq(operatorSessions.stage, "full"), gt(operatorSessions.expiresAt, new Date(now).toISOString())))
    .get();
  if (!row || row.status !== "active" || Date.parse(row.lastSeenAt) < now - IDLE_MS) return null;
  if (Date.parse(row.lastSeenAt) < now - 60_000) {
    await controlDb(env)
      .update(operatorSessions)
      .set({ lastSeenAt: new Date(now).toISOString() })
      .where(eq(operatorSessions.tokenHash, tokenHash))
      .run();
  }
  return { id: row.id, email: row.email, name: row.name };
}

export async function endConsoleSession(env: KuraEnv, request: Request): Promise<void> {
  const token = cookieToken(request);
  if (token)
    await controlDb(env)
      .delete(operatorSessions)
      .where(eq(operatorSessions.tokenHash, await sha256Hex(token)))
      .run();
}

/** Every operator account, for the console's operators page. */
export async function listOperators(env: KuraEnv) {
  return controlDb(env)
    .select({ id: operators.id, email: operators.email, name: operators.name, status: operators.status, createdAt: operators.createdAt })
    .from(operators)
    .orderBy(operators.createdAt)
    .all();
}

/**
 * A further operator, added by a signed-in one: the password they are given, and a new
 * authenticator key they enrol at their first sign-in (the code step shows it, as for the first).
 */
export async function addOperator(env: KuraEnv, config: KuraConfig, input: { email: string; name: string; password: string }): Promise<{ id: string }> {
  const row = await newOperatorRow(env, config, input);
  const inserted = await env.CONTROL_DB.prepare(`${INSERT_OPERATOR} VALUES (?1, ?2, ?3, ?4, ?5, 0, 'pending_totp', ?6) ON CONFLICT (email) DO NOTHING`)
    .bind(...row.values)
    .run();
  if ((inserted.meta.changes ?? 0) === 0) fail("conflict", "An operator with this e-mail exists.");
  return { id: row.id };
}

/** Disables another operator: their sessions end at once. Nobody disables themselves (the last one stays). */
export async function disableOperator(env: KuraEnv, actingId: string, operatorId: string): Promise<boolean> {
  if (operatorId === actingId) fail("conflict", "You cannot disable your own account.");
  const db = controlDb(env);
  const done = await db
    .update(operators)
    .set({ status: "disabled" })
    .where(and(eq(operators.id, operatorId), sql`${operators.status} <> 'disabled'`))
    .run();
  await db.delete(operatorSessions).where(eq(operatorSessions.operatorId, operatorId)).run();
  return (done.meta.changes ?? 0) > 0;
}
