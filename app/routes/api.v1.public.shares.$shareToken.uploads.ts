import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { uploadAsGuest } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareTokenParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  POST: {
    summary: "A guest's upload into the share's folder (upload scopes; one request, ≤ 95 MiB, multipart/form-data `file`)",
    description: "Counts against the share owner's part of the quota (403 quota_exceeded). Audited as asset.uploaded by the guest.",
    tags: ["Sharing (guests)"],
    params: ShareTokenParamsSchema,
    responses: {
      201: { description: "The new file (processing)", schema: z.object({ id: z.string(), name: z.string(), size: z.number().int(), status: z.string() }) },
      413: { description: "Over 95 MiB" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { shareToken } = parseParams(params, api.POST.params);
    return json(await uploadAsGuest(context, shareToken, request), { status: 201 });
  },
});
