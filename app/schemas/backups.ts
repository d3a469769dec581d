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

/** A shard key as the shard map names it (`s0`, `s1`, …). */
export const ShardKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "A shard key is up to 32 lower-case letters, digits, - and _.")
  .describe("A tenant-data shard's key in the shard map");

export const RestoreBodySchema = z
  .object({
    generation: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A generation is a day, YYYY-MM-DD."),
    shard: ShardKeySchema.optional().describe("Restore into this shard instead of the tenant's own: the tenant moves there (ADR 0028)."),
  })
  .strict();

export const RestoreResponseSchema = z.object({
  tenantId: z.string(),
  generation: z.string(),
  restoredAt: z.string(),
  shard: z.string().describe("The shard the tenant's rows are in now"),
});

export const MoveBodySchema = z.object({ shard: ShardKeySchema }).strict();

export const MoveResponseSchema = z.object({
  tenantId: z.string(),
  from: z.string(),
  shard: z.string().describe("The shard the tenant's rows are in now"),
  generation: z.string().describe("The backup generation the move restored: a fresh backup taken for the move"),
  movedAt: z.string(),
});
