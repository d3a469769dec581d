import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { createGuestMarker, listGuestMarkers } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateMarkerBodySchema, MarkerSchema, ShareAssetParamsSchema } from "~/schemas/review";

export const access = allow.anonymous(
  "A share's guest: the link's token and the guest session (Bearer; the portal's cookie on /web/v1) are checked by the sharing domain (issue #14).",
);

export const api = defineApi({
  GET: {
    summary: "The markers of an asset of the share",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    responses: { 200: { description: "Markers", schema: z.object({ items: z.array(MarkerSchema) }) } },
  },
  POST: {
    summary: "A guest's marker on an asset of the share (shares that take comments; 403 otherwise)",
    description: "The same body and limits as POST /assets/{assetId}/markers; the guest is its author.",
    tags: ["Sharing (guests)"],
    params: ShareAssetParamsSchema,
    body: CreateMarkerBodySchema,
    responses: { 201: { description: "Created", schema: MarkerSchema } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, api.GET.params);
  return json(await listGuestMarkers(context, shareToken, assetId, request));
}

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { shareToken, assetId } = parseParams(params, api.POST.params);
    return json(await createGuestMarker(context, shareToken, assetId, request, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
