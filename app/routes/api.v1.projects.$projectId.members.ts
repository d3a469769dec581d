import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { pageOfList } from "~/.server/http/cursor.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { listProjectMembers } from "~/.server/access/projects.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectGrantSchema, ProjectParamsSchema } from "~/schemas/admin";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The project's grants to users and groups (tenant admin or project.manage_members)",
    tags: ["Projects"],
    params: ProjectParamsSchema,
    query: PageQuerySchema,
    responses: { 200: { description: "Grants", schema: pageOf(ProjectGrantSchema) } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  const page = parseQuery(request, api.GET.query);
  const grants = await listProjectMembers(context, projectId);
  return json(pageOfList(grants, (g) => `${g.principalType}\u0000${g.principalId}`, page));
}
