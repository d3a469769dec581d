import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { getShare, revokeShare, updateShare } from "~/.server/sharing/shares.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ShareParamsSchema, ShareSchema, UpdateShareBodySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "A share with its state and each link's accesses and downloads (share.create)",
    tags: ["Review"],
    params: ShareParamsSchema,
    responses: { 200: { description: "The share", schema: ShareSchema } },
  },
  PATCH: {
    summary: "Pause or resume a share, or change its scope or expiry; its URLs stay (share.create)",
    tags: ["Review"],
    params: ShareParamsSchema,
    body: UpdateShareBodySchema,
    responses: { 200: { description: "The share", schema: ShareSchema }, 409: { description: "Revoked" } },
  },
  DELETE: {
    summary: "Revoke a share: every link stops at once (share.create)",
    tags: ["Review"],
    params: ShareParamsSchema,
    responses: { 204: { description: "Revoked" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { shareId } = parseParams(params, api.GET.params);
  return json(await getShare(context, shareId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { shareId } = parseParams(params, api.PATCH.params);
    return json(await updateShare(context, shareId, await parseJsonBody(request, api.PATCH.body)));
  },
  DELETE: async ({ params, context }) => {
    const { shareId } = parseParams(params, api.DELETE.params);
    await revokeShare(context, shareId);
    return noContent();
  },
});
