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

/** `PATCH /operator/tenants/{id}`: the contract's quota and admin contact (the name and slug stay as provisioned). */
export const UpdateTenantContractBodySchema = CreateTenantBodySchema.pick({ adminEmail: true, storageQuotaBytes: true })
  .partial()
  .strict()
  .refine((b) => b.adminEmail !== undefined || b.storageQuotaBytes !== undefined, { message: "Give storageQuotaBytes, adminEmail or both." });

export type UpdateTenantContract = z.output<typeof UpdateTenantContractBodySchema>;

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
  shard: z.string().describe("The tenant-data shard holding the tenant's rows (ADR 0015, 0028)"),
  movingTo: z.string().nullable().describe("The shard a move is taking the tenant to, while it runs"),
});

export type TenantDetail = z.output<typeof TenantDetailSchema>;

export const CreateTenantResponseSchema = z.object({
  tenant: TenantSummarySchema,
  adminSetupToken: z.string().describe("Single-use setup token (7 days) for the first tenant admin: POST /auth/setup."),
});

export const TenantIdParamsSchema = z.object({ tenantId: z.string().regex(/^tnt_[a-z2-7]{26}$/) });
