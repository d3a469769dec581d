import { z } from "zod";
import { CursorSchema, LimitSchema } from "./common";

const isoTime = z.iso.datetime({ offset: true, message: "Use an ISO 8601 time, e.g. 2026-11-25T00:00:00Z." });

const range = {
  from: isoTime.optional().describe("Inclusive lower bound of `at`"),
  to: isoTime.optional().describe("Exclusive upper bound of `at`"),
};

const filters = {
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, "An action name such as auth.login.")
    .max(64)
    .optional(),
  actorId: z.string().min(1).max(64).optional(),
};

export const AuditQuerySchema = z.object({
  ...filters,
  ...range,
  limit: LimitSchema,
  cursor: CursorSchema,
});

export const AuditExportQuerySchema = z.object({
  format: z.enum(["csv", "jsonl"]).default("csv"),
  ...filters,
  ...range,
});

/**
 * The audit screen's filters: whole days from date inputs (empty fields mean
 * "any"), midnight to midnight in the viewer's zone (dayRangeInZone, ADR 0023).
 */
const day = z.iso.date({ message: "Use a date (YYYY-MM-DD)." });
const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);
export const AuditScreenQuerySchema = z.object({
  action: z.preprocess(blankToUndefined, filters.action),
  actorId: z.preprocess(blankToUndefined, filters.actorId),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  cursor: z.preprocess(blankToUndefined, CursorSchema),
});

export const AuditItemSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({
    type: z.enum(["user", "guest", "operator", "system"]),
    id: z.string().nullable(),
    email: z.string().nullable().optional(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  outcome: z.enum(["success", "denied", "failure"]),
  details: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
  prevHash: z.string(),
});

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  headHash: z.string(),
});
