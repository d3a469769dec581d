import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { createProject, listProjects } from "~/.server/access/projects.server";
import { pageOfList } from "~/.server/http/cursor.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectBodySchema, ProjectSchema } from "~/schemas/admin";

/** Listing is for every user (their own projects); creating is checked for tenant_admin in the domain. */
export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Projects: all for tenant admins, the granted ones (directly or through a group) for users",
    tags: ["Projects"],
    query: PageQuerySchema,
    responses: { 200: { description: "Projects", schema: pageOf(ProjectSchema) } },
  },
  POST: {
    summary: "Create a project (tenant admins)",
    tags: ["Projects"],
    body: ProjectBodySchema,
    responses: { 201: { description: "Created", schema: ProjectSchema }, 403: { description: "Not a tenant admin" }, 409: { description: "Duplicate name" } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(pageOfList(await listProjects(context), (p) => `${p.name}\u0000${p.id}`, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createProject(context, body), { status: 201 });
  },
});
