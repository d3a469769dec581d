import { z } from "zod";
import { email, newPassword, password, redirectTo, requiredText, tenantSlug } from "./fields";

/** /login, first step. */
export const LoginFormSchema = z.object({
  intent: z.literal("password"),
  tenant: tenantSlug,
  email,
  password,
  redirectTo,
});

/** /login?email=: the address filled in after a password was set; anything else is ignored. */
export const LoginHintEmailSchema = email;

/** /login, second step: a TOTP code or a recovery code. */
export const LoginCodeFormSchema = z.object({
  intent: z.literal("code"),
  challenge: requiredText(512),
  code: z.string({ error: "v.required" }).trim().min(6, "v.code").max(64, "v.code"),
  redirectTo,
});

/** /setup and /reset-password. */
export const SetPasswordFormSchema = z
  .object({
    token: requiredText(512),
    password: newPassword,
    confirmPassword: z.string({ error: "v.required" }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "v.password.mismatch" });

/** /forgot-password. */
export const ForgotPasswordFormSchema = z.object({
  tenant: tenantSlug,
  email,
});
