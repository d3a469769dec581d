import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { guestDerived } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareDerivedParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "A derived still or data of an asset of the share: poster, filmstrip, waveform or still preview",
    tags: ["Sharing (guests)"],
    params: ShareDerivedParamsSchema,
    responses: { 200: { description: "The object", contentType: "image/jpeg" }, 404: { description: "Not made (yet)" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId, name } = parseParams(params, api.GET.params);
  return guestDerived(context, shareToken, assetId, name, request);
}
