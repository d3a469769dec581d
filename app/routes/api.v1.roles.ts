import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { createRole, listRoles } from "~/.server/access/roles.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateRoleBodySchema, RoleSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Project roles: built-in and custom",
    tags: ["Tenant administration"],
    responses: { 200: { description: "Roles", schema: z.object({ items: z.array(RoleSchema), nextCursor: z.null() }) } },
  },
  POST: {
    summary: "Create a custom role from the capability catalog",
    tags: ["Tenant administration"],
    body: CreateRoleBodySchema,
    responses: { 201: { description: "Created", schema: RoleSchema }, 409: { description: "Duplicate name" } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ items: await listRoles(context), nextCursor: null });
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createRole(context, body), { status: 201 });
  },
});
