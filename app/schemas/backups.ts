import { z } from "zod";

export const BackupGenerationSchema = z.object({
  generation: z.string().describe("The backup's day (UTC), YYYY-MM-DD: a second run on the same day replaces that day's generation."),
  createdAt: z.string(),
  bytes: z.number().int().describe("Sealed bytes stored in the backups bucket."),
});

export const BackupListSchema = z.object({
  items: z.array(BackupGenerationSchema).describe("Newest first; never more than 2 after a backup run."),
});

export const BackupJobResponseSchema = z.object({
  backups: z.array(z.object({ tenantId: z.string(), generation: z.string(), createdAt: z.string() })),
  failed: z.array(z.string()).describe("Tenants whose run failed: their older generations are untouched, and the operator is alerted."),
});

export const RestoreBodySchema = z.object({ generation: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A generation is a day, YYYY-MM-DD.") }).strict();

export const RestoreResponseSchema = z.object({
  tenantId: z.string(),
  generation: z.string(),
  restoredAt: z.string(),
});
