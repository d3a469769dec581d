import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { verifyGuestCode } from "~/.server/sharing/guest-access.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GuestCodeBodySchema, ShareTokenParamsSchema } from "~/schemas/review";
import { z } from "zod";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  POST: {
    summary: "Prove the guest's e-mail address with the code the session sent (shares that verify addresses)",
    description: "Right once: the guest token then reaches the share. A wrong or expired code is 401 invalid_otp, throttled per link (429).",
    tags: ["Sharing (guests)"],
    params: ShareTokenParamsSchema,
    body: GuestCodeBodySchema,
    responses: { 200: { description: "Verified", schema: z.object({ verified: z.literal(true), email: z.string().nullable(), expiresAt: z.string() }) } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { shareToken } = parseParams(params, api.POST.params);
    return json(await verifyGuestCode(context, shareToken, request, await parseJsonBody(request, api.POST.body)));
  },
});
