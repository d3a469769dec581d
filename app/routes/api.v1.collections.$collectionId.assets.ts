import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams, parseQuery } from "~/.server/http/validation.server";
import { addCollectionAssets, listCollectionAssets } from "~/.server/review/collections.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetSchema } from "~/schemas/assets";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { AddCollectionAssetsBodySchema, CollectionParamsSchema, CollectionSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The collection's assets, latest additions first (asset.view)",
    tags: ["Review"],
    params: CollectionParamsSchema,
    query: PageQuerySchema,
    responses: { 200: { description: "Assets", schema: pageOf(AssetSchema) } },
  },
  POST: {
    summary: "Add a selection of the project's assets (collection.manage)",
    description: "Up to 200 ids at once; ids of other projects or unknown ids are skipped; 409 when the collection would pass 10,000 assets.",
    tags: ["Review"],
    params: CollectionParamsSchema,
    body: AddCollectionAssetsBodySchema,
    responses: { 200: { description: "How many were new", schema: z.object({ added: z.number().int(), collection: CollectionSchema }) } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { collectionId } = parseParams(params, api.GET.params);
  return json(await listCollectionAssets(context, collectionId, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { collectionId } = parseParams(params, api.POST.params);
    return json(await addCollectionAssets(context, collectionId, await parseJsonBody(request, api.POST.body)));
  },
});
