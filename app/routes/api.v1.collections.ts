import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { createCollection } from "~/.server/review/collections.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CollectionSchema, CreateCollectionBodySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Create a collection in a project (collection.manage)",
    description: "A named set of links to the project's assets; nothing is copied. Names are unique per project (409).",
    tags: ["Review"],
    body: CreateCollectionBodySchema,
    responses: { 201: { description: "Created", schema: CollectionSchema }, 409: { description: "Name taken" } },
  },
});

export const action = methodAction({
  POST: async ({ request, context }) => json(await createCollection(context, await parseJsonBody(request, api.POST.body)), { status: 201 }),
});
