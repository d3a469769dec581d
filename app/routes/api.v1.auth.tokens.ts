import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { createApiToken, listApiTokens } from "~/.server/identity/accounts.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ApiTokenSchema, CreateApiTokenBodySchema, CreatedApiTokenSchema } from "~/schemas/auth";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Your personal API tokens (never the token values)",
    tags: ["Authentication"],
    responses: { 200: { description: "Tokens", schema: z.object({ items: z.array(ApiTokenSchema), nextCursor: z.null() }) } },
  },
  POST: {
    summary: "Create a personal API token",
    description: "The token is shown only in this response; only its hash is stored.",
    tags: ["Authentication"],
    body: CreateApiTokenBodySchema,
    responses: { 201: { description: "Created", schema: CreatedApiTokenSchema } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ items: await listApiTokens(context), nextCursor: null });
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createApiToken(context, body), { status: 201 });
  },
});
