import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { bulkUpdateAssets } from "~/.server/assets/bulk.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { BulkAssetsBodySchema, BulkResultSchema, ProjectParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Change up to 10,000 assets at once: metadata, tags, colour label, folder (asset.edit_metadata)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: BulkAssetsBodySchema,
    responses: { 200: { description: "How many assets changed", schema: BulkResultSchema }, 404: { description: "An id is not in the project" } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    return json(await bulkUpdateAssets(context, projectId, await parseJsonBody(request, api.POST.body, 2 * 1024 * 1024)));
  },
});
