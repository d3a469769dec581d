import { z } from "zod";

const TenantIdSchema = z.string().regex(/^tnt_[a-z2-7]{26}$/);

export const AnnouncementSeveritySchema = z.enum(["info", "maintenance", "incident"]);

export const CreateAnnouncementBodySchema = z
  .object({
    severity: AnnouncementSeveritySchema,
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(5000),
    tenantIds: z
      .array(TenantIdSchema)
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, "Each tenant once.")
      .optional()
      .describe("The tenants addressed; absent: every tenant, and the public status page."),
    endsAt: z.iso.datetime().optional().describe("When it stops being shown; absent: until the operator ends it."),
  })
  .strict();

export type CreateAnnouncementInput = z.output<typeof CreateAnnouncementBodySchema>;

export const AnnouncementSchema = z.object({
  id: z.string(),
  severity: AnnouncementSeveritySchema,
  title: z.string(),
  body: z.string(),
  tenantIds: z.array(z.string()).nullable(),
  createdAt: z.string(),
  endsAt: z.string().nullable(),
  emailed: z.number().int().describe("Tenant admins e-mailed."),
});

export const NoticeSchema = z.object({
  id: z.string(),
  severity: AnnouncementSeveritySchema,
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  endsAt: z.string().nullable(),
});

export const NoticeListSchema = z.object({ items: z.array(NoticeSchema) });
