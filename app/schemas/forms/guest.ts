import { z } from "zod";
import { GuestCodeBodySchema, GuestSessionBodySchema } from "../review";
import { formField, optionalFormField } from "./fields";

/**
 * The guest portal's forms (/s/<token>, issue #14): the same fields and checks as
 * POST /public/shares/{token}/session and …/session/verify, with a form's empty inputs.
 */
/** The gate's buttons (the authorization matrix has a row for each). */
export const GUEST_PORTAL_INTENTS = ["open", "verify", "leave"] as const;

export const GuestOpenFormSchema = z.object({
  intent: z.literal("open"),
  password: optionalFormField(GuestSessionBodySchema.shape.password.unwrap()),
  email: optionalFormField(GuestSessionBodySchema.shape.email.unwrap()),
});

export const GuestVerifyFormSchema = z.object({ intent: z.literal("verify"), code: formField(GuestCodeBodySchema.shape.code) });
