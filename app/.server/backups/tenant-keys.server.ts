import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { tenantKeys } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import { readSecrets } from "../env/secrets.server";

/**
 * Per-tenant data keys for backups (ADR 0025). A tenant's backup parts are sealed with its own
 * AES-256-GCM key; the key is kept in the control plane wrapped by a key derived from the
 * DATA_ENCRYPTION_KEY secret (HKDF, for this purpose only, bound to the tenant's id), and a purge
 * deletes it first.
 */

const encoder = new TextEncoder();
const WRAP_INFO = encoder.encode("kura/tenant-data-key-wrap/v1");
const IV_BYTES = 12;

/** Thrown when a tenant's key cannot be had: no usable secret, or the key was destroyed. */
export class TenantKeyUnavailable extends Error {}

async function wrappingKey(env: KuraEnv): Promise<CryptoKey> {
  const secret = readSecrets(env).dataEncryptionKey;
  if (!secret) throw new TenantKeyUnavailable("DATA_ENCRYPTION_KEY is not configured: tenant data keys cannot be wrapped or unwrapped");
  const master = await crypto.subtle.importKey("raw", new Uint8Array(decodeBase64(secret)), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: WRAP_INFO },
    master,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** AES-256-GCM with a fresh IV; the output is the IV followed by the ciphertext and tag. */
export async function seal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>, context: string): Promise<Uint8Array<ArrayBuffer>> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, key, plain));
  const out = new Uint8Array(IV_BYTES + cipher.length);
  out.set(iv);
  out.set(cipher, IV_BYTES);
  return out;
}

/** The inverse of `seal`; throws when the key, the context or a single byte differs. */
export async function open(key: CryptoKey, sealed: Uint8Array<ArrayBuffer>, context: string): Promise<Uint8Array<ArrayBuffer>> {
  const iv = sealed.subarray(0, IV_BYTES);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, key, sealed.subarray(IV_BYTES)));
}

const importDataKey = (raw: Uint8Array<ArrayBuffer>) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);

const storedKey = (env: KuraEnv, tenantId: string) => controlDb(env).select().from(tenantKeys).where(eq(tenantKeys.tenantId, tenantId)).get();

async function unwrap(env: KuraEnv, row: { tenantId: string; wrappedKey: string }): Promise<CryptoKey> {
  return importDataKey(await open(await wrappingKey(env), new Uint8Array(decodeBase64(row.wrappedKey)), `tenant:${row.tenantId}`));
}

/**
 * The tenant's data key, created on first use. Two first uses at once both insert-or-ignore and
 * then read the one row that won, so a tenant never has two keys.
 */
export async function tenantDataKey(env: KuraEnv, tenantId: string): Promise<CryptoKey> {
  let row = await storedKey(env, tenantId);
  if (!row) {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const wrapped = encodeBase64(await seal(await wrappingKey(env), raw, `tenant:${tenantId}`));
    await controlDb(env).insert(tenantKeys).values({ tenantId, wrappedKey: wrapped }).onConflictDoNothing().run();
    row = await storedKey(env, tenantId);
    if (!row) throw new TenantKeyUnavailable(`tenant ${tenantId} has no data key`);
  }
  return unwrap(env, row);
}

/**
 * The tenant's existing data key, never a new one: reading a backup after a purge must fail
 * rather than quietly get a fresh key.
 */
export async function existingTenantDataKey(env: KuraEnv, tenantId: string): Promise<CryptoKey> {
  const row = await storedKey(env, tenantId);
  if (!row) throw new TenantKeyUnavailable(`tenant ${tenantId} has no data key (destroyed or never created)`);
  return unwrap(env, row);
}

/** Crypto-shredding: deletes the tenant's wrapped key. Idempotent; true when a key was there. */
export async function destroyTenantDataKey(env: KuraEnv, tenantId: string): Promise<boolean> {
  const result = await controlDb(env).delete(tenantKeys).where(eq(tenantKeys.tenantId, tenantId)).run();
  return (result.meta.changes ?? 0) > 0;
}
