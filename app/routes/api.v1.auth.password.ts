import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { changePassword } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ChangePasswordBodySchema } from "~/schemas/auth";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Change your password",
    description: "Every other session and personal API token of the user is revoked; this token keeps working.",
    tags: ["Authentication"],
    body: ChangePasswordBodySchema,
    responses: {
      204: { description: "Changed" },
      400: { description: "Wrong current password or weak new password (validation_failed)" },
    },
  },
});

export const action = methodAction(
  {
    POST: async ({ request, context }) => {
      const body = await parseJsonBody(request, api.POST.body);
      await changePassword(context, body);
      return noContent();
    },
  },
  { allowsGet: false },
);
