import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { logout } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";

export const access = allow.tenantUser({ duringTotpEnrollment: true });

export const api = defineApi({
  POST: {
    summary: "Sign out: revokes the presented token",
    tags: ["Authentication"],
    responses: { 204: { description: "Revoked" } },
  },
});

export const action = methodAction(
  {
    POST: async ({ context }) => {
      await logout(context);
      return noContent();
    },
  },
  { allowsGet: false },
);
