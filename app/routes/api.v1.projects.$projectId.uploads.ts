import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams, parseQuery } from "~/.server/http/validation.server";
import { createUpload, listUploads } from "~/.server/assets/uploads.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateUploadBodySchema, ProjectParamsSchema, UploadCreatedSchema, UploadListItemSchema } from "~/schemas/assets";
import { PageQuerySchema, pageOf } from "~/schemas/common";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Uploads in progress: all of them for who may delete assets here (tenant and project admins), else one's own (asset.upload)",
    description: "Admins cancel any of them with DELETE /uploads/{uploadId} (ADR 0019). Expired uploads are not listed.",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    query: PageQuerySchema,
    responses: { 200: { description: "Uploads in progress, newest first", schema: pageOf(UploadListItemSchema) } },
  },
  POST: {
    summary: "Start a multipart upload (asset.upload)",
    description:
      "Reserves `size` against the quota (403 quota_exceeded if it would not fit). Send parts 1..partCount with " +
      "PUT /uploads/{uploadId}/parts/{n}: each exactly partSize bytes except the last. One user's uploads in progress may " +
      "reserve at most a share of the quota (default half; 403 quota_exceeded beyond it). An upload expires 24 hours after " +
      "its start or its last part, and at the latest 7 days after its start.",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: CreateUploadBodySchema,
    responses: { 201: { description: "The upload", schema: UploadCreatedSchema }, 403: { description: "forbidden, or quota_exceeded" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json(await listUploads(context, projectId, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    return json(await createUpload(context, projectId, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
