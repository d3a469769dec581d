import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteGroup, getGroup, renameGroup } from "~/.server/access/groups.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateGroupBodySchema, GroupParamsSchema, GroupSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "One group",
    tags: ["Tenant administration"],
    params: GroupParamsSchema,
    responses: { 200: { description: "The group", schema: GroupSchema } },
  },
  PATCH: {
    summary: "Rename a group",
    tags: ["Tenant administration"],
    params: GroupParamsSchema,
    body: CreateGroupBodySchema,
    responses: { 200: { description: "The group", schema: GroupSchema }, 409: { description: "Duplicate name" } },
  },
  DELETE: {
    summary: "Delete a group (its project grants go with it)",
    tags: ["Tenant administration"],
    params: GroupParamsSchema,
    responses: { 204: { description: "Deleted" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { groupId } = parseParams(params, api.GET.params);
  return json(await getGroup(context, groupId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { groupId } = parseParams(params, api.PATCH.params);
    const body = await parseJsonBody(request, api.PATCH.body);
    return json(await renameGroup(context, groupId, body));
  },
  DELETE: async ({ params, context }) => {
    const { groupId } = parseParams(params, api.DELETE.params);
    await deleteGroup(context, groupId);
    return noContent();
  },
});
