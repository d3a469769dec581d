import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { enrollTotp } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { TotpEnrollResponseSchema } from "~/schemas/auth";

export const access = allow.tenantUser({ duringTotpEnrollment: true });

export const api = defineApi({
  POST: {
    summary: "Start two-factor enrolment: a new TOTP secret",
    description: "2FA is enabled only after POST /auth/totp/confirm with a code from the authenticator.",
    tags: ["Authentication"],
    responses: {
      200: { description: "The secret (base32) and the otpauth:// URI", schema: TotpEnrollResponseSchema },
      409: { description: "2FA is already enabled" },
    },
  },
});

export const action = methodAction(
  {
    POST: async ({ context }) => {
      const { secret, otpauthUri } = await enrollTotp(context);
      return json({ secret, otpauthUri });
    },
  },
  { allowsGet: false },
);
