import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { listProjectSharesPage } from "~/.server/sharing/share-lists.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectParamsSchema } from "~/schemas/assets";
import { pageOf } from "~/schemas/common";
import { ProjectSharesQuerySchema, ShareListItemSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The project's shares, newest first, with state and per-link counters (share.create)",
    tags: ["Review"],
    params: ProjectParamsSchema,
    query: ProjectSharesQuerySchema,
    responses: { 200: { description: "Shares", schema: pageOf(ShareListItemSchema) } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  const { items, nextCursor } = await listProjectSharesPage(context, projectId, parseQuery(request, api.GET.query));
  return json({ items: items.map(({ assetNames: _names, ...share }) => share), nextCursor });
}
