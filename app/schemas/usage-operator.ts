import { z } from "zod";

export const UsageOverviewSchema = z.object({
  items: z.array(
    z.object({
      tenantId: z.string(),
      slug: z.string(),
      name: z.string(),
      status: z.string(),
      quotaBytes: z.number().int(),
      usedBytes: z.number().int(),
      assets: z.number().int(),
      percent: z.number().describe("Used share of the quota, in per cent, one decimal, rounded down."),
      level: z.union([z.literal(0), z.literal(80), z.literal(100)]).describe("The warning level the usage has reached."),
      warningLevel: z.number().int().describe("The level the tenant's admins were last e-mailed about (0: none since it was under 80 %)."),
    }),
  ),
});

export const UsageHistoryQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(400).default(30) }).strict();

export const UsageHistorySchema = z.object({
  tenantId: z.string(),
  days: z.array(z.object({ day: z.string(), bytes: z.number().int(), assets: z.number().int(), quotaBytes: z.number().int() })),
  projects: z
    .array(z.object({ projectId: z.string(), bytes: z.number().int(), assets: z.number().int() }))
    .describe("Project ids only: names are customer content."),
  projectsDay: z.string().nullable(),
});
