import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeBase64, encodeBase32LowerCaseNoPadding, encodeBase64, encodeHexLowerCase } from "@oslojs/encoding";

import type { KuraEnv } from "../env/env";
import { readSecrets } from "../env/secrets.server";
import { fail } from "../http/errors.server";

const encoder = new TextEncoder();

/** SHA-256 of a string (as UTF-8) or of bytes, as lower-case hex. */
export async function sha256Hex(value: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  return encodeHexLowerCase(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** 160+ bits of randomness, lower-case base32 (URL- and copy-paste-safe). */
export function randomSecret(bytes = 20): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function constantTimeEqualStrings(a: string, b: string): boolean {
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  return x.length === y.length && constantTimeEqual(x, y);
}

/**
 * The checked DATA_ENCRYPTION_KEY (readSecrets), or 503 service_unavailable:
 * without a real key nothing can be sealed or opened, and that is the
 * service's configuration, not the caller's fault.
 */
export function requireDataKey(env: KuraEnv): string {
  const key = readSecrets(env).dataEncryptionKey;
  if (!key) fail("service_unavailable", "Two-factor authentication is unavailable: the service's encryption key is not configured.");
  return key;
}

/**
 * AES-256-GCM for secrets we must read back (TOTP keys), with the key from
 * the DATA_ENCRYPTION_KEY secret. Format: base64(iv) "." base64(ciphertext).
 */
async function importKey(keyBase64: string): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = new Uint8Array(decodeBase64(keyBase64));
  } catch {
    throw new Error("DATA_ENCRYPTION_KEY is not base64");
  }
  if (raw.length !== 32) throw new Error("DATA_ENCRYPTION_KEY must be 32 bytes (base64)");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function encryptSecret(plain: Uint8Array<ArrayBuffer>, keyBase64: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, await importKey(keyBase64), plain);
  return `${encodeBase64(iv)}.${encodeBase64(new Uint8Array(cipher))}`;
}

export async function decryptSecret(sealed: string, keyBase64: string, context: string): Promise<Uint8Array> {
  const [iv, data] = sealed.split(".");
  if (!iv || !data) throw new Error("Malformed sealed secret");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: new Uint8Array(decodeBase64(iv)), additionalData: encoder.encode(context) },
    await importKey(keyBase64),
    new Uint8Array(decodeBase64(data)),
  );
  return new Uint8Array(plain);
}
