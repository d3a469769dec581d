import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { disableTotp } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { TotpDisableBodySchema } from "~/schemas/auth";

export const access = allow.tenantUser();

export const api = defineApi({
  DELETE: {
    summary: "Turn two-factor authentication off (needs the password)",
    tags: ["Authentication"],
    body: TotpDisableBodySchema,
    responses: { 204: { description: "Disabled" }, 400: { description: "Wrong password (validation_failed)" } },
  },
});

export const action = methodAction(
  {
    DELETE: async ({ request, context }) => {
      const body = await parseJsonBody(request, api.DELETE.body);
      await disableTotp(context, body.password);
      return noContent();
    },
  },
  { allowsGet: false },
);
