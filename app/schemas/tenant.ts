import { z } from "zod";

export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

export const CreateTenantBodySchema = z
  .object({
    slug: z.string().regex(TENANT_SLUG, "Use 3–40 lowercase letters, digits or hyphens, starting and ending with a letter or digit."),
    name: z.string().trim().min(1, "Name is required.").max(200),
    adminEmail: z
      .email("Must be an e-mail address.")
      .max(254)
      .transform((e) => e.toLowerCase()),
    storageQuotaBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

export type CreateTenantInput = z.output<typeof CreateTenantBodySchema>;

export const TenantStatusSchema = z.enum(["active", "terminated", "purged"]);

export const TenantSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: TenantStatusSchema,
});

export const TenantDetailSchema = TenantSummarySchema.extend({
  storageQuotaBytes: z.number().int(),
  usage: z.object({ bytes: z.number().int(), assets: z.number().int() }),
  createdAt: z.string(),
  terminatedAt: z.string().nullable(),
  purgeAfter: z.string().nullable(),
  purgedAt: z.string().nullable(),
});

export type TenantDetail = z.output<typeof TenantDetailSchema>;

export const CreateTenantResponseSchema = z.object({
  tenant: TenantSummarySchema,
  adminSetupToken: z.string().describe("Single-use setup token (7 days) for the first tenant admin: POST /auth/setup."),
});

export const TenantIdParamsSchema = z.object({ tenantId: z.string().regex(/^tnt_[a-z2-7]{26}$/) });
