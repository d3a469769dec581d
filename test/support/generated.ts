/**
 * Deterministic generated test inputs. Pure (no Worker, no bindings): shared by the
 * workerd integration suites and the Node unit project.
 */

/** A strong password of exactly `length` characters (no repetition, nothing common). */
export function longPassword(length: number): string {
  const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.";
  let x = 0x2545f491;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += alphabet[(x >>> 16) % alphabet.length];
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift), so that content is not compressible or repetitive. */
export function pseudoRandomBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
