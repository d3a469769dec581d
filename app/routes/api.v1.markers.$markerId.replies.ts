import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { replyToMarker } from "~/.server/review/markers.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { MarkerParamsSchema, ReplyBodySchema, ReplySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Reply to a marker (marker.edit)",
    tags: ["Review"],
    params: MarkerParamsSchema,
    body: ReplyBodySchema,
    responses: { 201: { description: "The reply", schema: ReplySchema }, 409: { description: "A reply to a reply, or the asset holds the most markers" } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { markerId } = parseParams(params, api.POST.params);
    return json(await replyToMarker(context, markerId, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
