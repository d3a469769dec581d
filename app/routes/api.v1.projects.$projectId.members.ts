import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
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
    responses: { 200: { description: "Grants", schema: z.object({ items: z.array(ProjectGrantSchema), nextCursor: z.null() }) } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json({ items: await listProjectMembers(context, projectId), nextCursor: null });
}
