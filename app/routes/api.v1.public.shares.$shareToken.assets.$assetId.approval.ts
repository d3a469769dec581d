import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { setGuestApproval } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ApprovalBodySchema, ApprovalSchema, ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  PUT: {
    summary: "The guest's verdict on an asset of the share: approved or needs changes (shares that ask for approval)",
    description:
      "One verdict per guest (their verified address, else their link) and asset; sending again changes it. The team sees it (GET /assets/{assetId}/approvals).",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    body: ApprovalBodySchema,
    responses: { 200: { description: "The verdict", schema: ApprovalSchema } },
  },
});

export const action = methodAction({
  PUT: async ({ request, params, context }) => {
    const { shareToken, assetId } = parseParams(params, api.PUT.params);
    return json(await setGuestApproval(context, shareToken, assetId, request, await parseJsonBody(request, api.PUT.body)));
  },
});
