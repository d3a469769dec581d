import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { completeUpload } from "~/.server/assets/uploads.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetSchema, UploadParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Finish an upload whose parts have all arrived",
    tags: ["Assets"],
    params: UploadParamsSchema,
    responses: { 201: { description: "The asset, processing", schema: AssetSchema }, 409: { description: "Parts missing, or not open" } },
  },
});

export const action = methodAction({
  POST: async ({ params, context }) => {
    const { uploadId } = parseParams(params, api.POST.params);
    return json(await completeUpload(context, uploadId), { status: 201 });
  },
});
