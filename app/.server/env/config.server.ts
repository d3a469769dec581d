import { z } from "zod";
import type { KuraEnv } from "./env";

const ConfigSchema = z.object({
  KURA_ENV: z.enum(["development", "test", "production"]),
  STATUS_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  DEFAULT_STORAGE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 ** 3),
});

export type KuraConfig = {
  environment: "development" | "test" | "production";
  statusCheckTimeoutMs: number;
  defaultStorageQuotaBytes: number;
};

/** Parses the plain variables once per request; a bad value is a deploy error. */
export function readConfig(env: KuraEnv): KuraConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`Invalid Worker configuration: ${fields}`);
  }
  return {
    environment: parsed.data.KURA_ENV,
    statusCheckTimeoutMs: parsed.data.STATUS_CHECK_TIMEOUT_MS,
    defaultStorageQuotaBytes: parsed.data.DEFAULT_STORAGE_QUOTA_BYTES,
  };
}
