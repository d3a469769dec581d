import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { createApiToken, listApiTokens } from "~/.server/identity/accounts.server";
import { pageOfList } from "~/.server/http/cursor.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ApiTokenSchema, CreateApiTokenBodySchema, CreatedApiTokenSchema } from "~/schemas/auth";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Your personal API tokens (never the token values)",
    tags: ["Authentication"],
    query: PageQuerySchema,
    responses: { 200: { description: "Tokens", schema: pageOf(ApiTokenSchema) } },
  },
  POST: {
    summary: "Create a personal API token",
    description: "The token is shown only in this response; only its hash is stored.",
    tags: ["Authentication"],
    body: CreateApiTokenBodySchema,
    responses: { 201: { description: "Created", schema: CreatedApiTokenSchema } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(pageOfList(await listApiTokens(context), (t) => `${t.createdAt}\u0000${t.id}`, parseQuery(request, api.GET.query), "desc"));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createApiToken(context, body), { status: 201 });
  },
});
