import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { createGroup, listGroups } from "~/.server/access/groups.server";
import { pageOfList } from "~/.server/http/cursor.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateGroupBodySchema, GroupSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Groups of users, with their members",
    tags: ["Tenant administration"],
    query: PageQuerySchema,
    responses: { 200: { description: "Groups", schema: pageOf(GroupSchema) } },
  },
  POST: {
    summary: "Create a group",
    tags: ["Tenant administration"],
    body: CreateGroupBodySchema,
    responses: { 201: { description: "Created", schema: GroupSchema }, 409: { description: "Duplicate name" } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(pageOfList(await listGroups(context), (g) => `${g.name}\u0000${g.id}`, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createGroup(context, body), { status: 201 });
  },
});
