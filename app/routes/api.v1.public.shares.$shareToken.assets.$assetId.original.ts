import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { downloadGuestOriginal } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous("A share's guest: the link's token and the guest token (Bearer) are checked by the sharing domain (issue #14).");

export const api = defineApi({
  GET: {
    summary: "Download an original of the share, as a guest (download scopes only)",
    description: "Counts against the link's maxDownloads when the download completes; beyond it 403. An asset outside the share is 404.",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    responses: { 200: { description: "The file", contentType: "application/octet-stream" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, api.GET.params);
  return downloadGuestOriginal(context, shareToken, assetId, request);
}
