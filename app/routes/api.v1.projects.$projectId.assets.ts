import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams, parseQuery, queryIfValid } from "~/.server/http/validation.server";
import { listAssets, listAssetsPrefetch } from "~/.server/assets/search.server";
import type { RoutePrefetch } from "~/.server/access/permissions.server";
import { withPrefetch } from "~/.server/routing/prefetch.server";
import { uploadSmall } from "~/.server/assets/uploads.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { pageOf } from "~/schemas/common";
import { AssetSchema, ListAssetsQuerySchema, ProjectParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Browse and search a project's assets (asset.view; search.use with q)",
    description:
      "Keyset pagination: the cursor is the last item's sort key, so pages stay stable while assets are added. " +
      "`q` matches substrings of names, tags and text metadata (Japanese included); `meta=key:value` filters by a metadata field.",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    query: ListAssetsQuerySchema,
    responses: { 200: { description: "A page of assets", schema: pageOf(AssetSchema) } },
  },
  POST: {
    summary: "Upload a file of up to 95 MiB in one request (asset.upload)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    rawBody: {
      contentType: "multipart/form-data",
      description: "Fields: `file` (the file; its name becomes the display name) and optional `folderId`",
      schema: { type: "object", properties: { file: { type: "string", format: "binary" }, folderId: { type: "string" } }, required: ["file"] },
    },
    responses: {
      201: { description: "The asset, processing", schema: AssetSchema },
      403: { description: "forbidden, or quota_exceeded" },
      413: { description: "Over 95 MiB: use a multipart upload" },
    },
  },
});

/**
 * The page is read in the credential's own D1 batch (ADR 0014). An invalid
 * project id or query string prefetches nothing: the loader answers it.
 */
const prefetch: RoutePrefetch = ({ request, params }) => {
  const projectId = api.GET.params.safeParse(params);
  const query = queryIfValid(request, api.GET.query);
  return projectId.success && query ? listAssetsPrefetch(projectId.data.projectId, query) : null;
};

export const loader = withPrefetch(async ({ request, params, context }: LoaderFunctionArgs) => {
  const { projectId } = parseParams(params, api.GET.params);
  return json(await listAssets(context, projectId, parseQuery(request, api.GET.query)));
}, prefetch);

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    return json(await uploadSmall(context, projectId, request), { status: 201 });
  },
});
