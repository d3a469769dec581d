import { sql, type SQL } from "drizzle-orm";
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
 * The credential's row, unexpired, of an active user, in the tenant the
 * token names, while that tenant is active (its status mirror, ADR 0015).
 * The same conditions as the credential read in authenticate.server.ts; idle
 * sessions pass here and are refused there (which also deletes them), before
 * anything read is used.
 */
function validCredential(c: PresentedCredential): SQL {
  return c.kind === "session"
    ? sql`SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenant_settings ts ON ts.tenant_id = s.tenant_id
          WHERE s.token_hash = ${c.hash} AND s.tenant_id = ${c.tenantId} AND s.kind = ${c.sessionKind}
            AND s.expires_at > ${c.nowIso} AND u.status = 'active' AND ts.status = 'active'`
    : sql`SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN tenant_settings ts ON ts.tenant_id = t.tenant_id
          WHERE t.token_hash = ${c.hash} AND t.tenant_id = ${c.tenantId}
            AND t.expires_at > ${c.nowIso} AND u.status = 'active' AND ts.status = 'active'`;
}

/**
 * Fails the batch unless the credential is valid. SQLite has no RAISE outside
 * triggers; a JSON path that is not one is an error it always reports, and
 * the path carries the marker into the message.
 */
export function credentialGate(db: TenantDb, c: PresentedCredential) {
  return rawStatement(db, sql`SELECT json_extract('{}', CASE WHEN EXISTS (${validCredential(c)}) THEN '$' ELSE ${REFUSED} END) AS gate`);
}

/** The credential's user, as SQL, for statements placed after the gate. */
export function credentialUser(c: PresentedCredential): SQL {
  return sql`(${validCredential(c)})`;
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
