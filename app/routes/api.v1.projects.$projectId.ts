import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { getProject, renameProject } from "~/.server/access/projects.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectBodySchema, ProjectDetailSchema, ProjectParamsSchema, ProjectSchema } from "~/schemas/admin";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "A project and the caller's capabilities in it",
    description: "404 when the project is in another tenant or the caller holds no grant on it.",
    tags: ["Projects"],
    params: ProjectParamsSchema,
    responses: { 200: { description: "The project", schema: ProjectDetailSchema } },
  },
  PATCH: {
    summary: "Rename a project (tenant admin or project.manage_members)",
    tags: ["Projects"],
    params: ProjectParamsSchema,
    body: ProjectBodySchema,
    responses: { 200: { description: "The project", schema: ProjectSchema }, 409: { description: "Another project has this name" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json(await getProject(context, projectId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.PATCH.params);
    const body = await parseJsonBody(request, api.PATCH.body);
    return json(await renameProject(context, projectId, body));
  },
});
