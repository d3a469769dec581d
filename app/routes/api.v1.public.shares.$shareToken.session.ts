import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { startGuestSession } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GuestSessionBodySchema, ShareTokenParamsSchema } from "~/schemas/review";
import { z } from "zod";

export const access = allow.anonymous("A share's guest: the link's token in the path (and the share's password) is the credential (issue #14).");

export const api = defineApi({
  POST: {
    summary: "Open a share as a guest: its password when it has one, for a guest token",
    description: "Expired, paused or revoked shares are 404. A wrong password is 401 invalid_credentials, throttled like a sign-in (429).",
    tags: ["Sharing (guests)"],
    params: ShareTokenParamsSchema,
    body: GuestSessionBodySchema,
    responses: { 200: { description: "The guest token", schema: z.object({ guestToken: z.string(), expiresAt: z.string() }) } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { shareToken } = parseParams(params, api.POST.params);
    return json(await startGuestSession(context, shareToken, await parseJsonBody(request, api.POST.body)));
  },
});
