/**
 * Problem codes of the technical reader (see PROBLEM_CODES in types.ts) and
 * the errors that carry them out of deep reads.
 */
import { ReadFailedError, TruncatedError } from "./range-source";
import type { Problem, ProblemCode } from "./types";

/** A structure that breaks its format's rules. */
export class DamagedError extends Error {}
/** Reading would pass the time or byte budget. */
export class BudgetError extends Error {}

export function problem(code: ProblemCode, detail?: string): Problem {
  return detail ? { code, detail } : { code };
}

/** The problem an error thrown while reading stands for; unknown errors mean damaged structure. */
export function problemFromError(e: unknown, what = "structure"): Problem {
  if (e instanceof TruncatedError) return problem("truncated", e.message);
  if (e instanceof ReadFailedError) return problem("read_failed", e.message);
  if (e instanceof BudgetError) return problem("too_complex", e.message);
  if (e instanceof DamagedError) return problem("damaged", e.message);
  return problem("damaged", `the ${what} could not be read (${e instanceof Error ? e.message : String(e)})`);
}
