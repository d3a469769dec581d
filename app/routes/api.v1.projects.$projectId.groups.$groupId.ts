import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { removeProjectGrant, setProjectGrant } from "~/.server/access/projects.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GrantBodySchema, ProjectGroupParamsSchema } from "~/schemas/admin";
import { z } from "zod";

export const access = allow.tenantUser();

export const api = defineApi({
  PUT: {
    summary: "Grant a group a role on the project (tenant admin or project.manage_members)",
    tags: ["Projects"],
    params: ProjectGroupParamsSchema,
    body: GrantBodySchema,
    responses: {
      200: { description: "Granted", schema: z.object({ projectId: z.string(), groupId: z.string(), role: z.string() }) },
      400: { description: "Unknown role" },
    },
  },
  DELETE: {
    summary: "Remove the group's grant",
    tags: ["Projects"],
    params: ProjectGroupParamsSchema,
    responses: { 204: { description: "Removed" } },
  },
});

export const action = methodAction(
  {
    PUT: async ({ request, params, context }) => {
      const { projectId, groupId } = parseParams(params, api.PUT.params);
      const body = await parseJsonBody(request, api.PUT.body);
      return json(await setProjectGrant(context, projectId, "group", groupId, body.role));
    },
    DELETE: async ({ params, context }) => {
      const { projectId, groupId } = parseParams(params, api.DELETE.params);
      await removeProjectGrant(context, projectId, "group", groupId);
      return noContent();
    },
  },
  { allowsGet: false },
);
