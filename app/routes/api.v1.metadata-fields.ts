import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { requireTenantAdmin } from "~/.server/access/permissions.server";
import { createMetadataField, listMetadataFields } from "~/.server/metadata/fields.server";
import { pageOfList } from "~/.server/http/cursor.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreateMetadataFieldBodySchema, MetadataFieldSchema } from "~/schemas/admin";

/** Every user who edits metadata needs the field definitions; only admins define them. */
export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The tenant's typed metadata fields",
    tags: ["Tenant administration"],
    query: PageQuerySchema,
    responses: { 200: { description: "Fields", schema: pageOf(MetadataFieldSchema) } },
  },
  POST: {
    summary: "Define a metadata field (tenant admins)",
    tags: ["Tenant administration"],
    body: CreateMetadataFieldBodySchema,
    responses: { 201: { description: "Created", schema: MetadataFieldSchema }, 409: { description: "Duplicate key" } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(pageOfList(await listMetadataFields(context), (f) => f.key, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    await requireTenantAdmin(context, "metadata_field.create");
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createMetadataField(context, body), { status: 201 });
  },
});
