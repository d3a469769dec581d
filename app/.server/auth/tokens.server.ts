import { ID_PATTERN } from "../ids/ids";
import { randomSecret, sha256Hex } from "./crypto.server";

/**
 * Bearer credentials carry their tenant id so the right shard can be opened
 * without a global lookup: `kura_<kind>.<tenantId>.<secret>`. Only the
 * SHA-256 of the whole token is stored.
 */
export const TOKEN_KINDS = {
  session: "kura_s",
  personal: "kura_p",
  oneTime: "kura_o",
} as const;

export type TokenKind = keyof typeof TOKEN_KINDS;

export type IssuedToken = { token: string; hash: string };

export async function issueToken(kind: TokenKind, tenantId: string): Promise<IssuedToken> {
  const token = `${TOKEN_KINDS[kind]}.${tenantId}.${randomSecret(32)}`;
  return { token, hash: await sha256Hex(token) };
}

const TOKEN_SHAPE = /^(kura_[spo])\.([a-z]{3}_[a-z2-7]{26})\.([a-z2-7]{40,64})$/;

export type ParsedToken = { kind: TokenKind; tenantId: string; hash: string };

export async function parseToken(token: string): Promise<ParsedToken | null> {
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return null;
  const kind = (Object.keys(TOKEN_KINDS) as TokenKind[]).find((k) => TOKEN_KINDS[k] === match[1]);
  if (!kind || !ID_PATTERN.test(match[2] as string)) return null;
  return { kind, tenantId: match[2] as string, hash: await sha256Hex(token) };
}
