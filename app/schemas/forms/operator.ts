import { z } from "zod";
import { CreateAnnouncementBodySchema } from "../notices";
import { ShardKeySchema } from "../backups";
import { UpdateTenantContractBodySchema } from "../tenant";
import { email, newPassword, password, requiredText } from "./fields";

/** /operator/setup: the first operator, with the bootstrap token. */
export const OperatorSetupFormSchema = z.object({
  bootstrapToken: requiredText(512),
  email,
  name: requiredText(100),
  password: newPassword,
});

/** /operator/login, first step. */
export const OperatorLoginFormSchema = z.object({ intent: z.literal("password"), email, password });

/** /operator/login, second step (and enrolment): a TOTP code. */
export const OperatorCodeFormSchema = z.object({
  intent: z.literal("code"),
  code: z
    .string({ error: "v.required" })
    .trim()
    .regex(/^\d{6}$/, "v.code"),
});

/**
 * The console's contract form, turned into the API's body (one schema validates both): the quota
 * in GB (decimal, as the console shows sizes; to the byte) and the admin contact.
 */
export const ContractFormSchema = z
  .object({
    intent: z.literal("contract"),
    quotaGb: z
      .string({ error: "v.required" })
      .trim()
      // Up to nine decimals: a quota set in bytes (100 GiB is 107.3741824 GB) comes back as it was.
      .regex(/^\d{1,7}(\.\d{1,9})?$/, "op.tenant.quotaInvalid")
      .refine((v) => Number(v) > 0, "op.tenant.quotaInvalid"),
    adminEmail: email,
  })
  .transform((f): z.input<typeof UpdateTenantContractBodySchema> => ({ storageQuotaBytes: Math.round(Number(f.quotaGb) * 1e9), adminEmail: f.adminEmail }))
  .pipe(UpdateTenantContractBodySchema);

/** Moving a tenant to another shard (ADR 0028): the shard chosen from the map. */
export const MoveFormSchema = z.object({ intent: z.literal("move"), shard: ShardKeySchema.or(z.literal("")).refine((v) => v !== "", "v.required") });

/** Terminating a tenant: its slug typed again, as a guard against the wrong row. */
export const TerminateFormSchema = z.object({ intent: z.literal("terminate"), confirmSlug: requiredText(64) });

export const RestoreFormSchema = z.object({ intent: z.literal("restore"), generation: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "v.required") });

/**
 * The console's announcement form, turned into the API's body (one schema validates both): the
 * tenant ids come one per line, and an empty end time means none.
 */
export const AnnouncementFormSchema = z
  .object({
    severity: z.string(),
    title: z.string(),
    body: z.string(),
    tenantIds: z.string().max(10_000).optional(),
    endsAt: z.string().max(64).optional(),
  })
  .transform((f) => ({
    severity: f.severity,
    title: f.title,
    body: f.body,
    ...(f.tenantIds?.trim() ? { tenantIds: f.tenantIds.split(/[\s,]+/).filter(Boolean) } : {}),
    ...(f.endsAt?.trim() ? { endsAt: f.endsAt.trim() } : {}),
  }))
  .pipe(CreateAnnouncementBodySchema);

/** /operator/operators: add one (the password is theirs to use once with their own authenticator). */
export const AddOperatorFormSchema = z.object({ intent: z.literal("add"), email, name: requiredText(100), password: newPassword });

export const DisableOperatorFormSchema = z.object({ intent: z.literal("disable"), operatorId: z.string().regex(/^opr_[a-z2-7]{26}$/, "v.required") });
