import { exists, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { TenantDb } from "../db/tenant-data.server";
import { rawStatement } from "../db/raw-statement.server";

/**
 * Reading a project's data in the same D1 batch as the credential that
 * allows it (ADR 0014). A batch runs its statements in order, in one
 * transaction, and stops at the first error. The gate is a statement that
 * fails unless the credential is one Kura would accept: so when it is not,
 * nothing after the gate runs, and no tenant data is read on the strength of
 * an unverified token.
 */

export type PresentedCredential = {
  kind: "session" | "token";
  /** Which sessions count: browser ones for the cookie, api ones for bearer. */
  sessionKind: "browser" | "api";
  tenantId: string;
  hash: string;
  nowIso: string;
};

/** The marker in the gate's error, so a refusal is told apart from any other failure. */
const REFUSED = "kura-credential-refused";

/**
 * The lookup of the presented credential that finds it only when Kura accepts
 * it, selecting the user's id as `auth_user_id` (authenticate.server.ts,
 * credentialCheck: the same lookup the credential's own row is read with).
 */
export type CredentialCheck = SQLWrapper;

/**
 * Fails the batch unless the check finds the credential.
 * SQLite has no RAISE outside triggers; a JSON path that is not one is an
 * error it always reports, and the path carries the marker into the message.
 */
export function credentialGate(db: TenantDb, credential: CredentialCheck) {
  return rawStatement(db, sql`SELECT json_extract('{}', CASE WHEN ${exists(credential)} THEN '$' ELSE ${REFUSED} END) AS gate`);
}

/** The credential's user, as SQL, for statements placed after the gate. */
export function credentialUser(credential: CredentialCheck): SQL {
  return sql`(SELECT auth_user_id FROM ${credential})`;
}

/**
 * SQLite's own message for the gate's path: "bad JSON path: 'kura-credential-refused'".
 * Matched whole, because a wrapper's message (drizzle's "Failed query: … params: …")
 * may list the marker as a parameter whatever statement failed.
 */
const REFUSAL_MESSAGE = `bad JSON path: '${REFUSED}'`;

/** Whether a failed batch failed at the gate (the credential was refused), and not anywhere else. */
export function isCredentialRefusal(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const message = String((e as { message?: unknown }).message ?? "");
    if (message.startsWith(REFUSAL_MESSAGE) || message.startsWith(`D1_ERROR: ${REFUSAL_MESSAGE}`)) return true;
  }
  return false;
}
