import { z } from "zod";
import type { Argon2Params } from "../auth/password.server";
import type { KuraEnv } from "./env";
import { onePer } from "../memo.server";

const ConfigSchema = z.object({
  KURA_ENV: z.enum(["development", "test", "production"]),
  STATUS_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  DEFAULT_STORAGE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 ** 3),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).max(262_144).default(19_456),
  ARGON2_PASSES: z.coerce.number().int().min(1).max(10).default(2),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  MAIL_PROVIDER: z.enum(["outbox", "resend"]).default("outbox"),
  MAIL_FROM: z.string().min(3).default("Kura <no-reply@kura.example>"),
  PUBLIC_BASE_URL: z.url().optional(),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(400),
  UPLOAD_USER_RESERVATION_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  OPERATOR_ALERT_EMAIL: z.email().optional(),
  PURGE_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
});

export type KuraConfig = {
  environment: "development" | "test" | "production";
  statusCheckTimeoutMs: number;
  defaultStorageQuotaBytes: number;
  argon2: Argon2Params;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  mail: { provider: "outbox" | "resend"; from: string };
  publicBaseUrl: string | null;
  auditRetentionDays: number;
  /** Share of the tenant's quota one user's open upload reservations may hold (ADR 0019). */
  uploadUserReservationShare: number;
  /** Where operator alerts (a failed backup or its verification) are e-mailed; unset: logged and on the status page only. */
  operatorAlertEmail: string | null;
  /** Days from termination to purge (ADR 0026). */
  purgeGraceDays: number;
};

/**
 * Parses the plain variables, once per env object: they do not change while
 * an isolate lives, and parsing them on every request cost about 1 ms of CPU
 * (profiled). A bad value is a deploy error.
 */
export const readConfig: (env: KuraEnv) => KuraConfig = onePer(parseConfig);

function parseConfig(env: KuraEnv): KuraConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`Invalid Worker configuration: ${fields}`);
  }
  return {
    environment: parsed.data.KURA_ENV,
    statusCheckTimeoutMs: parsed.data.STATUS_CHECK_TIMEOUT_MS,
    defaultStorageQuotaBytes: parsed.data.DEFAULT_STORAGE_QUOTA_BYTES,
    argon2: { memoryKiB: parsed.data.ARGON2_MEMORY_KIB, passes: parsed.data.ARGON2_PASSES, parallelism: 1 },
    sessionIdleMinutes: parsed.data.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: parsed.data.SESSION_ABSOLUTE_HOURS,
    mail: { provider: parsed.data.MAIL_PROVIDER, from: parsed.data.MAIL_FROM },
    publicBaseUrl: parsed.data.PUBLIC_BASE_URL?.replace(/\/+$/, "") ?? null,
    auditRetentionDays: parsed.data.AUDIT_RETENTION_DAYS,
    uploadUserReservationShare: parsed.data.UPLOAD_USER_RESERVATION_SHARE,
    operatorAlertEmail: parsed.data.OPERATOR_ALERT_EMAIL ?? null,
    purgeGraceDays: parsed.data.PURGE_GRACE_DAYS,
  };
}
