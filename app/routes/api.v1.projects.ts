import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { createProject, listProjects } from "~/.server/access/projects.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectBodySchema, ProjectSchema } from "~/schemas/admin";

/** Listing is for every user (their own projects); creating is checked for tenant_admin in the domain. */
export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Projects: all for tenant admins, the granted ones (directly or through a group) for users",
    tags: ["Projects"],
    responses: { 200: { description: "Projects", schema: z.object({ items: z.array(ProjectSchema), nextCursor: z.null() }) } },
  },
  POST: {
    summary: "Create a project (tenant admins)",
    tags: ["Projects"],
    body: ProjectBodySchema,
    responses: { 201: { description: "Created", schema: ProjectSchema }, 403: { description: "Not a tenant admin" } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ items: await listProjects(context), nextCursor: null });
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createProject(context, body), { status: 201 });
  },
});
