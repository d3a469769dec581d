/**
 * Unit-level checks of the identity building blocks, in the same workerd
 * pool: password policy, IP allow-list matching, TOTP replay refusal.
 */
import { describe, expect, it } from "vitest";
import { generateHOTP } from "@oslojs/otp";
import { isCommonPassword, passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from "~/.server/auth/password.server";
import { ipAllowed, normaliseCidr } from "~/.server/auth/ip-allowlist.server";
import { newTotpKey, verifyTotp } from "~/.server/auth/totp.server";
import { longPassword } from "../../support/identity";

describe("password policy", () => {
  it("requires 12 to 256 characters", () => {
    expect(PASSWORD_MIN).toBe(12);
    expect(PASSWORD_MAX).toBe(256);
    expect(passwordProblem("q7-zebra-mi")).toBe("too_short");
    expect(passwordProblem("q7-zebra-min")).toBeNull();
    expect(passwordProblem(longPassword(256))).toBeNull();
    expect(passwordProblem(longPassword(257))).toBe("too_long");
  });

  it("counts characters (code points), not UTF-16 units or bytes", () => {
    expect("🔑".repeat(11).length).toBe(22);
    expect(passwordProblem("🔑".repeat(11))).toBe("too_short");
    expect(passwordProblem("🔑".repeat(12))).toBeNull();
    expect(passwordProblem("さくらもみじふじやまう")).toBe("too_short"); // 11 kana, 33 bytes
    expect(passwordProblem("さくらもみじふじやまうみ")).toBeNull();
    expect(passwordProblem("🔑".repeat(256))).toBeNull(); // 512 UTF-16 units
    expect(passwordProblem("🔑".repeat(257))).toBe("too_long");
  });

  it("refuses entries of the common-password list whatever their case", () => {
    expect(isCommonPassword("qwerty123456")).toBe(true);
    expect(isCommonPassword("QWERTY123456")).toBe(true);
    expect(passwordProblem("Qwerty123456")).toBe("too_common");
    expect(isCommonPassword("correct-horse-battery-42")).toBe(false);
    expect(passwordProblem("correct-horse-battery-42")).toBeNull();
  });

  it("refuses password1234, the product decision's example of a common password", () => {
    expect(passwordProblem("password1234")).toBe("too_common");
    expect(passwordProblem("Password1234")).toBe("too_common");
  });
});

describe("IP allow-list matching", () => {
  it("normalises addresses and CIDRs, and refuses garbage", () => {
    expect(normaliseCidr("10.1.2.3/8")).toBe("10.0.0.0/8");
    expect(normaliseCidr("192.0.2.10")).toBe("192.0.2.10/32");
    expect(normaliseCidr("2001:db8::1")).toBe("2001:db8::1/128");
    expect(normaliseCidr("2001:0db8:0000::/32")).toBe("2001:db8::/32");
    for (const bad of ["", "x", "10.0.0.0/33", "300.0.0.1", "2001:db8::/129", "10.0.0.0/-1", "1.2.3.4/8/9"]) {
      expect(normaliseCidr(bad), bad).toBeNull();
    }
  });

  it("an empty list allows everyone; with a list, an unknown or unparsable client IP is refused", () => {
    expect(ipAllowed(null, [])).toBe(true);
    expect(ipAllowed("198.51.100.1", [])).toBe(true);
    expect(ipAllowed(null, ["0.0.0.0/0"])).toBe(false);
    expect(ipAllowed("not-an-ip", ["0.0.0.0/0"])).toBe(false);
  });

  it("matches IPv4 ranges at their edges", () => {
    const list = ["203.0.113.0/24", "192.0.2.10/32"];
    expect(ipAllowed("203.0.113.0", list)).toBe(true);
    expect(ipAllowed("203.0.113.255", list)).toBe(true);
    expect(ipAllowed("203.0.114.0", list)).toBe(false);
    expect(ipAllowed("203.0.112.255", list)).toBe(false);
    expect(ipAllowed("192.0.2.10", list)).toBe(true);
    expect(ipAllowed("192.0.2.11", list)).toBe(false);
  });

  it("matches IPv6 ranges and never mixes families", () => {
    const list = ["2001:db8:abcd::/48"];
    expect(ipAllowed("2001:db8:abcd::1", list)).toBe(true);
    expect(ipAllowed("2001:DB8:ABCD:FFFF:FFFF:FFFF:FFFF:FFFF", list)).toBe(true);
    expect(ipAllowed("2001:db8:abce::1", list)).toBe(false);
    expect(ipAllowed("203.0.113.1", list)).toBe(false);
    expect(ipAllowed("2001:db8::1", ["0.0.0.0/0"])).toBe(false);
  });

  it("treats an IPv4-mapped IPv6 client as its IPv4 address", () => {
    expect(ipAllowed("::ffff:203.0.113.9", ["203.0.113.0/24"])).toBe(true);
    expect(ipAllowed("::ffff:cb00:7109", ["203.0.113.0/24"])).toBe(true);
    expect(ipAllowed("::ffff:198.51.100.1", ["203.0.113.0/24"])).toBe(false);
  });
});

describe("TOTP verification", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 10);
  const step = Math.floor(now / 30_000);
  const code = (key: Uint8Array, s: number) => generateHOTP(key, BigInt(s), 6);

  it("accepts the previous, current and next step and returns the matched step", () => {
    const key = newTotpKey();
    expect(verifyTotp(key, code(key, step), 0, now)).toBe(step);
    expect(verifyTotp(key, code(key, step - 1), 0, now)).toBe(step - 1);
    expect(verifyTotp(key, code(key, step + 1), 0, now)).toBe(step + 1);
    expect(verifyTotp(key, code(key, step - 2), 0, now)).toBeNull();
    expect(verifyTotp(key, code(key, step + 2), 0, now)).toBeNull();
  });

  it("refuses a replay: a step at or before the last accepted one", () => {
    const key = newTotpKey();
    const accepted = verifyTotp(key, code(key, step), 0, now);
    expect(accepted).toBe(step);
    expect(verifyTotp(key, code(key, step), accepted!, now)).toBeNull();
    expect(verifyTotp(key, code(key, step - 1), accepted!, now)).toBeNull();
    expect(verifyTotp(key, code(key, step + 1), accepted!, now)).toBe(step + 1);
  });

  it("refuses malformed codes and another key's code", () => {
    const key = newTotpKey();
    const other = newTotpKey();
    for (const bad of ["", "12345", "1234567", "abcdef", " 123456"]) expect(verifyTotp(key, bad, 0, now), bad).toBeNull();
    const theirs = code(other, step);
    if (theirs !== code(key, step) && theirs !== code(key, step - 1) && theirs !== code(key, step + 1)) {
      expect(verifyTotp(key, theirs, 0, now)).toBeNull();
    }
  });
});
