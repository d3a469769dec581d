import { z } from "zod";
import { ApiTokenNameSchema, PersonNameSchema } from "./names";
import { TENANT_SLUG } from "./tenant";
import { TimeZoneSettingSchema } from "./time-zone";

/**
 * Schemas of the Authentication section of the contract. The same schemas
 * validate API bodies and UI forms and describe both in the OpenAPI document.
 * Password strength (length, common list) is checked by the domain, which
 * reports it as a validation_failed detail on the password field.
 */

const email = z
  .email("Must be an e-mail address.")
  .max(254)
  .transform((e) => e.toLowerCase());

/** Any string of plausible size: the policy itself lives in the domain. */
const password = z.string().min(1, "Enter a password.").max(1024, "At most 256 characters.");

const tenantSlug = z.string().trim().toLowerCase().regex(TENANT_SLUG, "Not a tenant id (3–40 lowercase letters, digits or hyphens).");

export const SetupBodySchema = z.object({ token: z.string().min(1).max(512), password }).strict();

export const SetupResponseSchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
});

export const LoginBodySchema = z
  .object({
    tenant: tenantSlug,
    email,
    password,
    otp: z.string().trim().min(1).max(64).optional().describe("TOTP code or a recovery code"),
  })
  .strict();

export const MeSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  tenantRole: z.enum(["tenant_admin", "user"]),
  twoFactorEnabled: z.boolean(),
  locale: z.enum(["ja", "en"]).nullable(),
  timeZone: z.string().nullable().describe("The user's own time zone; null = the tenant's"),
  effectiveTimeZone: z.string().describe("The zone Kura shows times in for this user (API times stay UTC)"),
});

export const LoginResponseSchema = z.object({ token: z.string(), expiresAt: z.string(), user: MeSchema });

export const UpdateMeBodySchema = z
  .object({
    name: PersonNameSchema.optional(),
    locale: z.enum(["ja", "en"]).optional(),
    timeZone: TimeZoneSettingSchema.describe("IANA time zone, or null to follow the tenant's"),
  })
  .strict();

export const ChangePasswordBodySchema = z.object({ currentPassword: password, newPassword: password }).strict();

export const PasswordResetBodySchema = z.object({ tenant: z.string().trim().min(1).max(64), email: z.string().trim().min(1).max(254) }).strict();

export const TotpEnrollResponseSchema = z.object({ secret: z.string(), otpauthUri: z.string() });

export const TotpConfirmBodySchema = z
  .object({
    otp: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "Enter the 6-digit code."),
  })
  .strict();

export const TotpConfirmResponseSchema = z.object({ recoveryCodes: z.array(z.string()).length(10) });

export const TotpDisableBodySchema = z.object({ password }).strict();

export const CreateApiTokenBodySchema = z
  .object({
    name: ApiTokenNameSchema,
    expiresInDays: z.number().int().min(1).max(365).default(90).describe("1–365, default 90"),
  })
  .strict();

export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const CreatedApiTokenSchema = z.object({ id: z.string(), token: z.string(), name: z.string(), expiresAt: z.string() });

export const ApiTokenParamsSchema = z.object({ tokenId: z.string().regex(/^tok_[a-z2-7]{26}$/) });
