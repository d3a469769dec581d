import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { meView, updateProfile } from "~/.server/identity/accounts.server";
import { requireTenantPrincipal } from "~/.server/access/permissions.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { MeSchema, UpdateMeBodySchema } from "~/schemas/auth";

export const access = allow.tenantUser({ duringTotpEnrollment: true });

export const api = defineApi({
  GET: {
    summary: "The signed-in user",
    tags: ["Authentication"],
    responses: { 200: { description: "You", schema: MeSchema } },
  },
  PATCH: {
    summary: "Change your display name, language or time zone",
    tags: ["Authentication"],
    body: UpdateMeBodySchema,
    responses: { 200: { description: "You, updated", schema: MeSchema } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json(meView(requireTenantPrincipal(context)));
}

export const action = methodAction({
  PATCH: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.PATCH.body);
    return json(await updateProfile(context, body));
  },
});
