import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { createGroup, listGroups } from "~/.server/access/groups.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateGroupBodySchema, GroupSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Groups of users, with their members",
    tags: ["Tenant administration"],
    responses: { 200: { description: "Groups", schema: z.object({ items: z.array(GroupSchema), nextCursor: z.null() }) } },
  },
  POST: {
    summary: "Create a group",
    tags: ["Tenant administration"],
    body: CreateGroupBodySchema,
    responses: { 201: { description: "Created", schema: GroupSchema }, 409: { description: "Duplicate name" } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ items: await listGroups(context), nextCursor: null });
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createGroup(context, body), { status: 201 });
  },
});
