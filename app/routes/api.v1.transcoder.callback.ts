import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { receiveEvent } from "~/.server/media/endpoints.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GrantQuerySchema, TranscoderEventSchema } from "~/schemas/media";

export const access = allow.anonymous("The transcoder's reports on a job: authorised by the signed, expiring job grant in the URL (ADR 0030).");

export const api = defineApi({
  POST: {
    summary: "Transcoder: report progress, failure or the stored outputs of the attempt",
    tags: ["Transcoder (internal)"],
    query: GrantQuerySchema,
    body: TranscoderEventSchema,
    responses: {
      200: { description: "Recorded" },
      404: { description: "Unknown or expired grant" },
      409: { description: "The attempt is no longer current (a newer one started, it finished, or the asset is gone): stop" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, context }) => {
    const { token } = parseQuery(request, api.POST.query);
    return receiveEvent(context, token, await parseJsonBody(request, api.POST.body));
  },
});
