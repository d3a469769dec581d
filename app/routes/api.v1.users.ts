import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { inviteUser, listUsers } from "~/.server/identity/users.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateUserBodySchema, CreateUserResponseSchema, UserSchema } from "~/schemas/admin";
import { PageQuerySchema, pageOf } from "~/schemas/common";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Users of the tenant, by e-mail, with 2FA state and last login",
    tags: ["Tenant administration"],
    query: PageQuerySchema,
    responses: { 200: { description: "A page of users", schema: pageOf(UserSchema) } },
  },
  POST: {
    summary: "Invite a user (the setup link is e-mailed)",
    tags: ["Tenant administration"],
    body: CreateUserBodySchema,
    responses: {
      201: { description: "Invited", schema: CreateUserResponseSchema },
      409: { description: "A user with this e-mail exists" },
    },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await listUsers(context, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await inviteUser(context, body), { status: 201 });
  },
});
