import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { removeProjectGrant, setProjectGrant } from "~/.server/access/projects.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GrantBodySchema, ProjectMemberParamsSchema } from "~/schemas/admin";
import { z } from "zod";

export const access = allow.tenantUser();

export const api = defineApi({
  PUT: {
    summary: "Grant a user a role on the project (tenant admin or project.manage_members)",
    tags: ["Projects"],
    params: ProjectMemberParamsSchema,
    body: GrantBodySchema,
    responses: {
      200: { description: "Granted", schema: z.object({ projectId: z.string(), userId: z.string(), role: z.string() }) },
      400: { description: "Unknown role" },
    },
  },
  DELETE: {
    summary: "Remove the user's direct grant",
    tags: ["Projects"],
    params: ProjectMemberParamsSchema,
    responses: { 204: { description: "Removed" } },
  },
});

export const action = methodAction(
  {
    PUT: async ({ request, params, context }) => {
      const { projectId, userId } = parseParams(params, api.PUT.params);
      const body = await parseJsonBody(request, api.PUT.body);
      return json(await setProjectGrant(context, projectId, "user", userId, body.role));
    },
    DELETE: async ({ params, context }) => {
      const { projectId, userId } = parseParams(params, api.DELETE.params);
      await removeProjectGrant(context, projectId, "user", userId);
      return noContent();
    },
  },
  { allowsGet: false },
);
