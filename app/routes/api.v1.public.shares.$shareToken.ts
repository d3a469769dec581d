import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { guestShareInfo } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareTokenParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "The share as its guest sees it: who shares, until when, what the guest may do, and who the guest is",
    tags: ["Sharing (guests)"],
    params: ShareTokenParamsSchema,
    responses: { 200: { description: "The share", schema: z.object({ tenant: z.object({ name: z.string() }), expiresAt: z.string() }).passthrough() } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken } = parseParams(params, api.GET.params);
  return json(await guestShareInfo(context, shareToken, request));
}
