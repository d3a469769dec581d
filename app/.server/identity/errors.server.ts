import { fail } from "../http/errors.server";

/** A field-level validation failure in the contract's shape. */
export function invalidField(path: string, message: string): never {
  fail("validation_failed", "The request body is not valid.", { details: [{ path, message }] });
}

export const PASSWORD_PROBLEM_MESSAGES = {
  too_short: "Use at least 12 characters.",
  too_long: "Use at most 256 characters.",
  too_common: "This password is among the most common ones; choose another.",
} as const;
