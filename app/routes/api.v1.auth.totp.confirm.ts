import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { confirmTotp } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { TotpConfirmBodySchema, TotpConfirmResponseSchema } from "~/schemas/auth";

export const access = allow.tenantUser({ duringTotpEnrollment: true });

export const api = defineApi({
  POST: {
    summary: "Confirm two-factor enrolment with a code; returns 10 recovery codes",
    tags: ["Authentication"],
    body: TotpConfirmBodySchema,
    responses: {
      200: { description: "2FA enabled; the recovery codes are shown only now", schema: TotpConfirmResponseSchema },
      401: { description: "invalid_otp" },
      409: { description: "No enrolment started, or 2FA already enabled" },
    },
  },
});

export const action = methodAction(
  {
    POST: async ({ request, context }) => {
      const body = await parseJsonBody(request, api.POST.body);
      const { recoveryCodes } = await confirmTotp(context, body.otp);
      return json({ recoveryCodes });
    },
  },
  { allowsGet: false },
);
