import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { putCollectionAsset, removeCollectionAsset } from "~/.server/review/collections.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CollectionAssetParamsSchema, CollectionSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  PUT: {
    summary: "Put an asset of the project into the collection; idempotent (collection.manage)",
    tags: ["Review"],
    params: CollectionAssetParamsSchema,
    responses: { 200: { description: "The collection", schema: CollectionSchema }, 409: { description: "The collection holds 10,000 assets" } },
  },
  DELETE: {
    summary: "Take an asset out of the collection; the asset stays (collection.manage)",
    tags: ["Review"],
    params: CollectionAssetParamsSchema,
    responses: { 204: { description: "Removed" } },
  },
});

export const action = methodAction({
  PUT: async ({ params, context }) => {
    const { collectionId, assetId } = parseParams(params, api.PUT.params);
    return json(await putCollectionAsset(context, collectionId, assetId));
  },
  DELETE: async ({ params, context }) => {
    const { collectionId, assetId } = parseParams(params, api.DELETE.params);
    await removeCollectionAsset(context, collectionId, assetId);
    return noContent();
  },
});
