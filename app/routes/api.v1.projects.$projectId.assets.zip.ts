import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { zipSelection } from "~/.server/assets/download.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectParamsSchema, ZipBodySchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Download a selection as one zip, streamed (asset.download_original)",
    description:
      'Entries are stored (not deflated) under their folder paths; duplicate names get " (2)". Without `name` the file is named `<project>_<folder>_<YYYY-MM-DD>.zip` (the deepest folder holding the whole selection; `<project>_<YYYY-MM-DD>.zip` when that is the project root; the date in UTC), sent as an RFC 6266 `filename*`.',
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: ZipBodySchema,
    responses: { 200: { description: "The zip", contentType: "application/zip" } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    const body = await parseJsonBody(request, api.POST.body);
    return zipSelection(context, projectId, body.assetIds, { name: body.name });
  },
});
