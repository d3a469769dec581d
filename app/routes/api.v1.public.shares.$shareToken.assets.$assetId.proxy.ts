import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { guestDownload } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "Download the preview (proxy) of an asset of the share (download scopes with previews allowed; counts against maxDownloads)",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    responses: { 200: { description: "The file", contentType: "application/octet-stream" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, api.GET.params);
  return guestDownload(context, shareToken, assetId, "proxy", request);
}
