import type { Because } from "~/schemas/error-reasons";
import { fail } from "../http/errors.server";

/** A field-level validation failure in the contract's shape, with the field's reason (ADR 0020). */
export function invalidField(path: string, message: string, because: Because): never {
  fail("validation_failed", "The request body is not valid.", { fields: [{ path, message, ...because }] });
}

export const PASSWORD_PROBLEM_MESSAGES = {
  too_short: "Use at least 12 characters.",
  too_long: "Use at most 256 characters.",
  too_common: "This password is among the most common ones; choose another.",
} as const;

/** The reason of each password problem of passwordProblem(). */
export const PASSWORD_PROBLEM_REASONS = {
  too_short: "password_too_short",
  too_long: "password_too_long",
  too_common: "password_too_common",
} as const;
