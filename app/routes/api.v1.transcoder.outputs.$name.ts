import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams, parseQuery } from "~/.server/http/validation.server";
import { completeOutput, putOutputPart, startOutput } from "~/.server/media/endpoints.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { OutputCompleteSchema, OutputParamsSchema, OutputQuerySchema, OutputStartSchema } from "~/schemas/media";

export const access = allow.anonymous("The transcoder's single-use output upload: authorised by the signed, expiring job grant in the URL (ADR 0030).");

export const api = defineApi({
  POST: {
    summary: "Transcoder: start (no uploadId) or complete (uploadId) an output upload",
    description: "Internal. Start takes the URL's one use (a second start is 409); complete assembles the parts and checks the output's size limit.",
    tags: ["Transcoder (internal)"],
    params: OutputParamsSchema,
    query: OutputQuerySchema,
    body: OutputStartSchema.or(OutputCompleteSchema),
    responses: {
      200: { description: "Completed: the stored size" },
      201: { description: "Started: the upload id" },
      404: { description: "Unknown, expired or superseded grant" },
      409: { description: "The URL was already used, or the upload is complete" },
      413: { description: "Over the output's size limit" },
    },
  },
  PUT: {
    summary: "Transcoder: one part of an output upload",
    tags: ["Transcoder (internal)"],
    params: OutputParamsSchema,
    query: OutputQuerySchema,
    rawBody: { contentType: "application/octet-stream", description: "The part's bytes (equal parts, the last may be shorter)" },
    responses: { 200: { description: "Stored" }, 404: { description: "Unknown grant or upload" }, 413: { description: "Part too large" } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { name } = parseParams(params, api.POST.params);
    const { token, uploadId } = parseQuery(request, api.POST.query);
    if (uploadId === undefined) return startOutput(context, name, token, (await parseJsonBody(request, OutputStartSchema)).contentType);
    return completeOutput(context, name, token, uploadId, await parseJsonBody(request, OutputCompleteSchema));
  },
  PUT: async ({ request, params, context }) => {
    const { name } = parseParams(params, api.PUT.params);
    const { token, uploadId, part } = parseQuery(request, api.PUT.query);
    return putOutputPart(context, name, token, uploadId, part, request);
  },
});
