import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteRole, getRole, updateRole } from "~/.server/access/roles.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { RoleParamsSchema, RoleSchema, UpdateRoleBodySchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "One role",
    tags: ["Tenant administration"],
    params: RoleParamsSchema,
    responses: { 200: { description: "The role", schema: RoleSchema } },
  },
  PATCH: {
    summary: "Rename a custom role or change its capabilities",
    tags: ["Tenant administration"],
    params: RoleParamsSchema,
    body: UpdateRoleBodySchema,
    responses: { 200: { description: "The role", schema: RoleSchema }, 409: { description: "Built-in role, or duplicate name" } },
  },
  DELETE: {
    summary: "Delete a custom role that is no longer granted",
    tags: ["Tenant administration"],
    params: RoleParamsSchema,
    responses: { 204: { description: "Deleted" }, 409: { description: "Built-in, or still granted" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { roleId } = parseParams(params, api.GET.params);
  return json(await getRole(context, roleId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { roleId } = parseParams(params, api.PATCH.params);
    const body = await parseJsonBody(request, api.PATCH.body);
    return json(await updateRole(context, roleId, body));
  },
  DELETE: async ({ params, context }) => {
    const { roleId } = parseParams(params, api.DELETE.params);
    await deleteRole(context, roleId);
    return noContent();
  },
});
