import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { requestPasswordReset } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { PasswordResetBodySchema } from "~/schemas/auth";
import { z } from "zod";

export const access = allow.anonymous("Someone who forgot their password cannot sign in.");

const AcceptedSchema = z.object({ status: z.literal("accepted") });

export const api = defineApi({
  POST: {
    summary: "Ask for a password reset link by e-mail",
    description:
      "Always 202, whether or not the account exists (no enumeration). An active user gets a single-use link " +
      "valid for 1 hour; its token works with POST /auth/setup.",
    tags: ["Authentication"],
    body: PasswordResetBodySchema,
    responses: { 202: { description: "Accepted", schema: AcceptedSchema }, 429: { description: "rate_limited" } },
  },
});

export const action = methodAction(
  {
    POST: async ({ request, context }) => {
      const body = await parseJsonBody(request, api.POST.body);
      await requestPasswordReset(context, body);
      return json({ status: "accepted" }, { status: 202 });
    },
  },
  { allowsGet: false },
);
