import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { createUpload } from "~/.server/assets/uploads.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateUploadBodySchema, ProjectParamsSchema, UploadCreatedSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Start a multipart upload (asset.upload)",
    description:
      "Reserves `size` against the quota (403 quota_exceeded if it would not fit). Send parts 1..partCount with " +
      "PUT /uploads/{uploadId}/parts/{n}: each exactly partSize bytes except the last. Uploads expire after 7 days.",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: CreateUploadBodySchema,
    responses: { 201: { description: "The upload", schema: UploadCreatedSchema }, 403: { description: "forbidden, or quota_exceeded" } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    return json(await createUpload(context, projectId, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
