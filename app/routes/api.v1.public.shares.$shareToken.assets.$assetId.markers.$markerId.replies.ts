import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { replyAsGuest } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ReplyBodySchema, ReplySchema, ShareMarkerParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  POST: {
    summary: "A guest's reply to a marker of an asset of the share (shares that take comments)",
    tags: ["Sharing (guests)"],
    params: ShareMarkerParamsSchema,
    body: ReplyBodySchema,
    responses: { 201: { description: "The reply", schema: ReplySchema } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { shareToken, assetId, markerId } = parseParams(params, api.POST.params);
    return json(await replyAsGuest(context, shareToken, assetId, markerId, request, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
