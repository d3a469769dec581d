import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteCollection, getCollection, renameCollection } from "~/.server/review/collections.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CollectionParamsSchema, CollectionSchema, UpdateCollectionBodySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "A collection (asset.view)",
    tags: ["Review"],
    params: CollectionParamsSchema,
    responses: { 200: { description: "The collection", schema: CollectionSchema } },
  },
  PATCH: {
    summary: "Rename a collection (collection.manage)",
    tags: ["Review"],
    params: CollectionParamsSchema,
    body: UpdateCollectionBodySchema,
    responses: { 200: { description: "The collection", schema: CollectionSchema }, 409: { description: "Name taken" } },
  },
  DELETE: {
    summary: "Delete a collection; its assets stay (collection.manage)",
    tags: ["Review"],
    params: CollectionParamsSchema,
    responses: { 204: { description: "Deleted" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { collectionId } = parseParams(params, api.GET.params);
  return json(await getCollection(context, collectionId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { collectionId } = parseParams(params, api.PATCH.params);
    return json(await renameCollection(context, collectionId, await parseJsonBody(request, api.PATCH.body)));
  },
  DELETE: async ({ params, context }) => {
    const { collectionId } = parseParams(params, api.DELETE.params);
    await deleteCollection(context, collectionId);
    return noContent();
  },
});
