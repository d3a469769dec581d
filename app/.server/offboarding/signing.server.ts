import { decodeBase64, encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { KuraEnv } from "../env/env";
import { sha256Hex } from "../auth/crypto.server";
import { onePer } from "../memo.server";

/**
 * The operator signing key (ADR 0026): Ed25519, configured as CERTIFICATE_SIGNING_KEY (base64 of
 * the 32-byte private seed). Deletion certificates are signed with it; its public half is published
 * on the status page, so a customer can check a certificate without trusting the operator console.
 */
export type SigningKey = { privateKey: CryptoKey; publicKey: string; keyId: string };

/** The fixed PKCS #8 header of an Ed25519 private key (RFC 8410), before the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

export class SigningKeyUnavailable extends Error {}

/** The configured key, imported once per env; rejects with SigningKeyUnavailable when it is missing or malformed. */
export const signingKey: (env: KuraEnv) => Promise<SigningKey> = onePer((env) => importSigningKey(env.CERTIFICATE_SIGNING_KEY));

async function importSigningKey(seedBase64: string | undefined): Promise<SigningKey> {
  let seed: Uint8Array;
  try {
    seed = decodeBase64((seedBase64 ?? "").trim());
  } catch {
    throw new SigningKeyUnavailable("CERTIFICATE_SIGNING_KEY is not base64");
  }
  if (seed.length !== 32) throw new SigningKeyUnavailable("CERTIFICATE_SIGNING_KEY must be base64 of 32 bytes");
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  const privateKey = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
  if (!jwk.x) throw new SigningKeyUnavailable("the signing key has no public half");
  const publicKey = jwk.x;
  return { privateKey, publicKey, keyId: (await sha256Hex(publicKey)).slice(0, 16) };
}

/** Ed25519 over the UTF-8 bytes of `text`; base64url without padding. */
export async function signText(key: SigningKey, text: string): Promise<string> {
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, new TextEncoder().encode(text));
  return encodeBase64urlNoPadding(new Uint8Array(signature));
}
