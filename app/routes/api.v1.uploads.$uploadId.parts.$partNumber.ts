import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { uploadPart } from "~/.server/assets/uploads.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { PartParamsSchema, PartReceivedSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  PUT: {
    summary: "Send one part of an upload (raw bytes, streamed to storage)",
    description: "Content-Length must be exactly the part's size. Sending a part again replaces it.",
    tags: ["Assets"],
    params: PartParamsSchema,
    rawBody: { contentType: "application/octet-stream", description: "The part's bytes" },
    responses: {
      200: { description: "Stored", schema: PartReceivedSchema },
      409: { description: "The upload is not open" },
      413: { description: "Longer than the part size" },
    },
  },
});

export const action = methodAction({
  PUT: async ({ request, params, context }) => {
    const { uploadId, partNumber } = parseParams(params, api.PUT.params);
    return json(await uploadPart(context, uploadId, partNumber, request));
  },
});
