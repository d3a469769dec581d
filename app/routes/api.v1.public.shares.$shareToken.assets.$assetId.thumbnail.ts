import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { guestThumbnail } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "The thumbnail of an asset of the share",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    responses: { 200: { description: "The image", contentType: "image/jpeg" }, 404: { description: "None" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, api.GET.params);
  return guestThumbnail(context, shareToken, assetId, request);
}
