import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteMetadataField, updateMetadataField } from "~/.server/metadata/fields.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { MetadataFieldParamsSchema, MetadataFieldSchema, UpdateMetadataFieldBodySchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  PATCH: {
    summary: "Change a field's label or options (its key and type are fixed)",
    tags: ["Tenant administration"],
    params: MetadataFieldParamsSchema,
    body: UpdateMetadataFieldBodySchema,
    responses: { 200: { description: "The field", schema: MetadataFieldSchema } },
  },
  DELETE: {
    summary: "Delete a metadata field definition",
    tags: ["Tenant administration"],
    params: MetadataFieldParamsSchema,
    responses: { 204: { description: "Deleted" } },
  },
});

export const action = methodAction(
  {
    PATCH: async ({ request, params, context }) => {
      const { fieldId } = parseParams(params, api.PATCH.params);
      const body = await parseJsonBody(request, api.PATCH.body);
      return json(await updateMetadataField(context, fieldId, body));
    },
    DELETE: async ({ params, context }) => {
      const { fieldId } = parseParams(params, api.DELETE.params);
      await deleteMetadataField(context, fieldId);
      return noContent();
    },
  },
  { allowsGet: false },
);
