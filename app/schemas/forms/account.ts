import { z } from "zod";
import { ApiTokenNameSchema, PersonNameSchema } from "../names";
import { TimeZoneFormField } from "../time-zone";
import { formField, id, locale, newPassword, password } from "./fields";

/** /account: profile (display name, language and time zone; "" = the tenant's zone). */
export const ProfileFormSchema = z.object({
  intent: z.literal("profile"),
  name: formField(PersonNameSchema),
  locale,
  timeZone: TimeZoneFormField,
});

/** /account: password change. */
export const ChangePasswordFormSchema = z
  .object({
    intent: z.literal("password"),
    currentPassword: password,
    newPassword,
    confirmPassword: z.string({ error: "v.required" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "v.password.mismatch" });

/** /account/two-factor: start enrolment. */
export const TotpEnrollFormSchema = z.object({ intent: z.literal("enroll") });

/** /account/two-factor: confirm with the first code. */
export const TotpConfirmFormSchema = z.object({
  intent: z.literal("confirm"),
  code: z
    .string({ error: "v.required" })
    .trim()
    .regex(/^\d{6}$/, "v.totp"),
});

/** /account/two-factor: turn off (password required). */
export const TotpDisableFormSchema = z.object({
  intent: z.literal("disable"),
  password,
});

export const TOKEN_LIFETIMES = ["7", "30", "90", "365"] as const;

/** /account/tokens: create. */
export const ApiTokenCreateFormSchema = z.object({
  intent: z.literal("create"),
  name: formField(ApiTokenNameSchema),
  expiresInDays: z.enum(TOKEN_LIFETIMES, { error: "v.required" }).transform(Number),
});

/** /account/tokens: delete. */
export const ApiTokenDeleteFormSchema = z.object({
  intent: z.literal("delete"),
  id,
});
