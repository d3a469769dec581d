import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { guestStream } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "Play an asset of the share: its proxy inline, with Range (every scope; not a download)",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    responses: {
      200: { description: "The proxy", contentType: "video/mp4" },
      206: { description: "The requested range", contentType: "video/mp4" },
      404: { description: "No proxy (yet)" },
    },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, api.GET.params);
  return guestStream(context, shareToken, assetId, request);
}
