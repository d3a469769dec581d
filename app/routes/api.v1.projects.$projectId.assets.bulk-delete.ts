import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { bulkDeleteAssets } from "~/.server/assets/bulk.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { z } from "zod";
import { BulkDeleteBodySchema, ProjectParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Delete up to 1,000 assets with their stored objects (asset.delete)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: BulkDeleteBodySchema,
    responses: { 200: { description: "How many were deleted", schema: z.object({ deleted: z.number() }) } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    const { assetIds } = await parseJsonBody(request, api.POST.body);
    return json(await bulkDeleteAssets(context, projectId, assetIds));
  },
});
