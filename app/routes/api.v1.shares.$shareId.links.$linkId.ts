import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { revokeShareLink } from "~/.server/sharing/shares.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareLinkParamsSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  DELETE: {
    summary: "Revoke one recipient's link; the share's other links go on (share.create)",
    tags: ["Review"],
    params: ShareLinkParamsSchema,
    responses: { 204: { description: "Revoked" } },
  },
});

export const action = methodAction({
  DELETE: async ({ params, context }) => {
    const { shareId, linkId } = parseParams(params, api.DELETE.params);
    await revokeShareLink(context, shareId, linkId);
    return noContent();
  },
});
