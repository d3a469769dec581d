import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { startGuestSession } from "~/.server/sharing/guest-access.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GuestSessionBodySchema, GuestSessionSchema, ShareTokenParamsSchema } from "~/schemas/review";

export const access = allow.anonymous("A share's guest: the link's token in the path (and the share's password) is the credential (issue #14).");

export const api = defineApi({
  POST: {
    summary: "Open a share as a guest: its password when it has one, for a guest token",
    description:
      "Expired, paused or revoked shares are 404. A wrong password is 401 invalid_credentials, throttled like a sign-in (429). " +
      "A share that verifies addresses e-mails a one-time code (to the recipient; an anonymous link: to `email`) and the token waits for POST …/session/verify.",
    tags: ["Sharing (guests)"],
    params: ShareTokenParamsSchema,
    body: GuestSessionBodySchema,
    responses: { 200: { description: "The guest token (waiting for the e-mailed code when `verification` is set)", schema: GuestSessionSchema } },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { shareToken } = parseParams(params, api.POST.params);
    return json(await startGuestSession(context, shareToken, await parseJsonBody(request, api.POST.body)));
  },
});
