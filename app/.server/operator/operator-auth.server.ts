import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { fail } from "../http/errors.server";

import { MIN_OPERATOR_TOKEN_LENGTH } from "../env/secrets.server";

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("Authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
}

/**
 * Compares SHA-256 digests in constant time, so neither the content nor the
 * length of the configured token leaks through timing.
 */
export async function isOperatorToken(presented: string, configured: string | null | undefined): Promise<boolean> {
  if (!configured || configured.length < MIN_OPERATOR_TOKEN_LENGTH) return false;
  const [a, b] = await Promise.all([digest(presented), digest(configured)]);
  return constantTimeEqual(a, b);
}

/** `configured` is the checked secret (readSecrets): null when missing or a placeholder, so nothing matches. */
export async function requireOperator(request: Request, configured: string | null): Promise<void> {
  const token = bearerToken(request);
  const headers = { "WWW-Authenticate": 'Bearer realm="kura-operator"' };
  if (!token) fail("unauthenticated", "Operator token required.", { headers });
  if (!(await isOperatorToken(token, configured))) {
    fail("unauthenticated", "Invalid operator token.", { headers });
  }
}
