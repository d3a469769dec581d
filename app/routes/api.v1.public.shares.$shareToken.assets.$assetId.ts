import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { guestAsset } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { MediaStateSchema } from "~/schemas/media";
import { ApprovalSchema, GuestAssetSchema, MarkerSchema, ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "One asset of the share, with its player media, markers and the guest's own verdict (audited as share.viewed)",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    responses: {
      200: {
        description: "The asset",
        schema: z.object({ asset: GuestAssetSchema, media: MediaStateSchema, markers: z.array(MarkerSchema), approval: ApprovalSchema.nullable() }),
      },
    },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, api.GET.params);
  return json(await guestAsset(context, shareToken, assetId, request));
}
