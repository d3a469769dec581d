import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { deleteApiToken } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ApiTokenParamsSchema } from "~/schemas/auth";

export const access = allow.tenantUser();

export const api = defineApi({
  DELETE: {
    summary: "Revoke one of your personal API tokens",
    tags: ["Authentication"],
    params: ApiTokenParamsSchema,
    responses: { 204: { description: "Revoked" }, 404: { description: "Not one of your tokens" } },
  },
});

export const action = methodAction(
  {
    DELETE: async ({ params, context }) => {
      const { tokenId } = parseParams(params, api.DELETE.params);
      await deleteApiToken(context, tokenId);
      return noContent();
    },
  },
  { allowsGet: false },
);
