import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { setPasswordWithToken } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { SetupBodySchema, SetupResponseSchema } from "~/schemas/auth";

export const access = allow.anonymous("Invited users and the first admin have no credential yet: the setup token is it.");

export const api = defineApi({
  POST: {
    summary: "Set a password with a setup or reset token (single use)",
    description: "Setup tokens last 7 days, reset tokens 1 hour. Every session of the user is revoked.",
    tags: ["Authentication"],
    body: SetupBodySchema,
    responses: {
      200: { description: "Password set; sign in next", schema: SetupResponseSchema },
      400: { description: "Invalid, used or expired token (bad_request), or a weak password (validation_failed)" },
    },
  },
});

export const action = methodAction(
  {
    POST: async ({ request, context }) => {
      const body = await parseJsonBody(request, api.POST.body);
      const result = await setPasswordWithToken(context, body.token, body.password);
      return json({ user: { id: result.userId, email: result.email }, tenant: result.tenant });
    },
  },
  { allowsGet: false },
);
