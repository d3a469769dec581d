import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { openSession, verifyLogin } from "~/.server/identity/login.server";
import { meOf } from "~/.server/identity/user-view.server";
import { tenantTimeZoneOf } from "~/.server/tenants/settings.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { LoginBodySchema, LoginResponseSchema } from "~/schemas/auth";

export const access = allow.anonymous("Signing in is how a caller gets a credential.");

export const api = defineApi({
  POST: {
    summary: "Sign in: a session token for the API",
    description:
      "Wrong tenant, e-mail or password, and disabled or deleted users, all give the same 401 invalid_credentials. " +
      "With 2FA, `otp` (a TOTP code or a recovery code) is required: otp_required / invalid_otp. " +
      "10 failures per account (or 50 per IP) in 15 minutes give 429 with Retry-After.",
    tags: ["Authentication"],
    body: LoginBodySchema,
    responses: {
      200: { description: "Signed in", schema: LoginResponseSchema },
      401: { description: "invalid_credentials, otp_required or invalid_otp" },
      403: { description: "ip_not_allowed" },
      429: { description: "rate_limited" },
    },
  },
});

export const action = methodAction(
  {
    POST: async ({ request, context }) => {
      const body = await parseJsonBody(request, api.POST.body);
      const login = await verifyLogin(context, body, { otpStep: "required" });
      const session = await openSession(context, login, "api");
      return json({ token: session.token, expiresAt: session.expiresAt, user: meOf(login.data.tenant, session.user, await tenantTimeZoneOf(login.data)) });
    },
  },
  { allowsGet: false },
);
