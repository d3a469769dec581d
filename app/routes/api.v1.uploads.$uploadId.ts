import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { abortUpload, uploadStatus } from "~/.server/assets/uploads.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { UploadParamsSchema, UploadStatusSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Which parts of an upload have arrived (for resuming)",
    tags: ["Assets"],
    params: UploadParamsSchema,
    responses: { 200: { description: "The upload", schema: UploadStatusSchema } },
  },
  DELETE: {
    summary: "Cancel an upload: its parts are deleted and its quota reservation released",
    tags: ["Assets"],
    params: UploadParamsSchema,
    responses: { 204: { description: "Cancelled" }, 409: { description: "Already completed or cancelled" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { uploadId } = parseParams(params, api.GET.params);
  return json(await uploadStatus(context, uploadId));
}

export const action = methodAction({
  DELETE: async ({ params, context }) => {
    const { uploadId } = parseParams(params, api.DELETE.params);
    await abortUpload(context, uploadId);
    return noContent();
  },
});
