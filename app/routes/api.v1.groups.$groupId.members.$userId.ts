import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { addGroupMember, removeGroupMember } from "~/.server/access/groups.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GroupMemberParamsSchema } from "~/schemas/admin";
import { z } from "zod";

export const access = allow.tenantAdmin();

export const api = defineApi({
  PUT: {
    summary: "Add a user to a group (idempotent)",
    tags: ["Tenant administration"],
    params: GroupMemberParamsSchema,
    responses: { 200: { description: "Member", schema: z.object({ groupId: z.string(), userId: z.string() }) } },
  },
  DELETE: {
    summary: "Remove a user from a group",
    tags: ["Tenant administration"],
    params: GroupMemberParamsSchema,
    responses: { 204: { description: "Removed" } },
  },
});

export const action = methodAction(
  {
    PUT: async ({ params, context }) => {
      const { groupId, userId } = parseParams(params, api.PUT.params);
      return json(await addGroupMember(context, groupId, userId));
    },
    DELETE: async ({ params, context }) => {
      const { groupId, userId } = parseParams(params, api.DELETE.params);
      await removeGroupMember(context, groupId, userId);
      return noContent();
    },
  },
  { allowsGet: false },
);
