import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteUser, getUser, updateUser } from "~/.server/identity/users.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { UpdateUserBodySchema, UserParamsSchema, UserSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "One user",
    tags: ["Tenant administration"],
    params: UserParamsSchema,
    responses: { 200: { description: "The user", schema: UserSchema } },
  },
  PATCH: {
    summary: "Rename, change tenant role, disable or enable a user, or reset their 2FA",
    description: "Disabling or demoting revokes the user's sessions and tokens at once. The last tenant admin cannot be demoted or disabled (409).",
    tags: ["Tenant administration"],
    params: UserParamsSchema,
    body: UpdateUserBodySchema,
    responses: { 200: { description: "The user", schema: UserSchema }, 409: { description: "Last tenant admin" } },
  },
  DELETE: {
    summary: "Delete a user (physically; sessions, tokens and grants go too)",
    tags: ["Tenant administration"],
    params: UserParamsSchema,
    responses: { 204: { description: "Deleted" }, 409: { description: "Last tenant admin" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { userId } = parseParams(params, api.GET.params);
  return json(await getUser(context, userId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { userId } = parseParams(params, api.PATCH.params);
    const body = await parseJsonBody(request, api.PATCH.body);
    return json(await updateUser(context, userId, body));
  },
  DELETE: async ({ params, context }) => {
    const { userId } = parseParams(params, api.DELETE.params);
    await deleteUser(context, userId);
    return noContent();
  },
});
