import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { listGuestAssets } from "~/.server/sharing/guest.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { GuestAssetSchema, ShareTokenParamsSchema } from "~/schemas/review";

export const access = allow.anonymous("A share's guest: the link's token and the guest token (Bearer) are checked by the sharing domain (issue #14).");

export const api = defineApi({
  GET: {
    summary: "The share's assets by name, as a guest (Bearer guest token)",
    tags: ["Sharing (guests)"],
    params: ShareTokenParamsSchema,
    query: PageQuerySchema,
    responses: { 200: { description: "Assets", schema: pageOf(GuestAssetSchema) } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken } = parseParams(params, api.GET.params);
  return json(await listGuestAssets(context, shareToken, request, parseQuery(request, api.GET.query)));
}
