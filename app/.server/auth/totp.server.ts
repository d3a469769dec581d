import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { renderSVG } from "uqr";
import { randomSecret, sha256Hex } from "./crypto.server";

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
const ISSUER = "Kura";

export function newTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(20));
}

export function totpEnrollment(key: Uint8Array, account: string) {
  const otpauthUri = createTOTPKeyURI(ISSUER, account, key, TOTP_PERIOD, TOTP_DIGITS);
  return {
    secret: encodeBase32UpperCaseNoPadding(key),
    otpauthUri,
    qrSvg: renderSVG(otpauthUri, { border: 2 }),
  };
}

/**
 * Accepts the current step and one either side (clock drift), and only a
 * step newer than the last one accepted: a code cannot be used twice.
 * Returns the matched step, to be stored as the new high-water mark.
 */
export function verifyTotp(key: Uint8Array, code: string, lastStep: number, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = Math.floor(nowMs / 1000 / TOTP_PERIOD);
  for (const step of [current - 1, current, current + 1]) {
    if (step <= lastStep) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** 10 single-use recovery codes like "k7mq-2x4p-9v". */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const s = randomSecret(8).slice(0, 12);
    return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[\s-]/g, "");
}

export async function hashRecoveryCode(code: string): Promise<string> {
  return sha256Hex(`recovery:${normaliseRecoveryCode(code)}`);
}
