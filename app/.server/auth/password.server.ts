import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import setupWasm from "argon2id/lib/setup.js";
import noSimdModule from "argon2id/dist/no-simd.wasm";
import simdModule from "argon2id/dist/simd.wasm";
import commonPasswordsText from "./data/common-passwords.txt?raw";
import { constantTimeEqualStrings } from "./crypto.server";

/**
 * Argon2id (wasm, statically imported as Workers require). Each hash is a PHC
 * string carrying its own parameters, so raising the cost later only affects
 * new hashes; `needsRehash` tells the login path to upgrade old ones.
 */
export type Argon2Params = { memoryKiB: number; passes: number; parallelism: 1 };

/** OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane (~75 ms here). */
export const PRODUCTION_ARGON2: Argon2Params = { memoryKiB: 19456, passes: 2, parallelism: 1 };

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

type Compute = Awaited<ReturnType<typeof setupWasm>>;
let compute: Promise<Compute> | null = null;

function argon2(): Promise<Compute> {
  compute ??= setupWasm(
    async (imports) => ({ instance: await WebAssembly.instantiate(simdModule, imports) }) as WebAssembly.WebAssemblyInstantiatedSource,
    async (imports) => ({ instance: await WebAssembly.instantiate(noSimdModule, imports) }) as WebAssembly.WebAssemblyInstantiatedSource,
  );
  return compute;
}

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, p: Argon2Params): Promise<Uint8Array> {
  const hash = await argon2();
  return hash({
    password: encoder.encode(password.normalize("NFKC")),
    salt,
    parallelism: p.parallelism,
    passes: p.passes,
    memorySize: p.memoryKiB,
    tagLength: 32,
  });
}

export async function hashPassword(password: string, params: Argon2Params): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const tag = await derive(password, salt, params);
  return `$argon2id$v=19$m=${params.memoryKiB},t=${params.passes},p=${params.parallelism}$${encodeBase64(salt)}$${encodeBase64(tag)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export async function verifyPassword(password: string, phc: string, current: Argon2Params): Promise<{ ok: boolean; needsRehash: boolean }> {
  const m = PHC.exec(phc);
  if (!m) return { ok: false, needsRehash: false };
  const params: Argon2Params = { memoryKiB: Number(m[1]), passes: Number(m[2]), parallelism: 1 };
  const tag = await derive(password, decodeBase64(m[3] as string), params);
  const ok = constantTimeEqualStrings(encodeBase64(tag), m[4] as string);
  return { ok, needsRehash: ok && (params.memoryKiB < current.memoryKiB || params.passes < current.passes) };
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same time as a real verification when there is no user, so
 * response timing does not reveal which e-mails exist.
 */
export async function burnVerification(password: string, current: Argon2Params): Promise<void> {
  dummyHash ??= hashPassword("kura-timing-equaliser-password", current);
  await verifyPassword(password, await dummyHash, current);
}

let common: Set<string> | null = null;

/**
 * Only a few dozen of the 10,000 most common passwords are 12 characters or
 * longer, so the list alone would let "password1234" through. The usual
 * padding (digits and symbols around a common word, or the word repeated) is
 * stripped before the lookup, so such variants are refused too.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(commonPasswordsText.split("\n").filter(Boolean));
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, "");
  if (core.length >= 4 && common.has(core)) return true;
  const repeated = /^(.+?)\1+$/u.exec(core)?.[1];
  return repeated !== undefined && (repeated.length < 4 || common.has(repeated));
}

/** Returns a reason key when the password is not acceptable, else null. */
export function passwordProblem(password: string): "too_short" | "too_long" | "too_common" | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return "too_short";
  if (length > PASSWORD_MAX) return "too_long";
  if (isCommonPassword(password)) return "too_common";
  return null;
}
