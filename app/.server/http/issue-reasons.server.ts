/**
 * The reason of a zod issue (ADR 0020): the one attached at the schema
 * (`reasoned(...)` in app/schemas/names.ts, copied by zod onto the custom
 * issue), else one derived from the issue's code and its params (a string
 * under its minimum of 1 is missing, over its maximum is too long). Never
 * from the issue's English message.
 */
import type { z } from "zod";
import { isErrorReason, type Because, type NoReason } from "~/schemas/error-reasons";

export function issueReason(issue: z.core.$ZodIssue): Because | NoReason {
  if (issue.code === "custom" && isErrorReason(issue.params?.reason)) return { reason: issue.params.reason } as Because;
  if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1) return { reason: "required" };
  if (issue.code === "too_big" && issue.origin === "string") return { reason: "too_long", params: { max: Number(issue.maximum) } };
  return {};
}
