import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { createRole, listRoles } from "~/.server/access/roles.server";
import { pageOfList } from "~/.server/http/cursor.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateRoleBodySchema, RoleSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

const BUILT_IN_ORDER = ["project_admin", "member", "viewer"];

/** Built-in roles first, in their fixed order, then custom roles by name. */
function roleSortKey(r: { id: string; name: string; builtIn: boolean }): string {
  return r.builtIn ? `0${BUILT_IN_ORDER.indexOf(r.id)}` : `1${r.name}\u0000${r.id}`;
}

export const api = defineApi({
  GET: {
    summary: "Project roles: built-in and custom",
    tags: ["Tenant administration"],
    query: PageQuerySchema,
    responses: { 200: { description: "Roles", schema: pageOf(RoleSchema) } },
  },
  POST: {
    summary: "Create a custom role from the capability catalog",
    tags: ["Tenant administration"],
    body: CreateRoleBodySchema,
    responses: { 201: { description: "Created", schema: RoleSchema }, 409: { description: "Duplicate name" } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(pageOfList(await listRoles(context), roleSortKey, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createRole(context, body), { status: 201 });
  },
});
