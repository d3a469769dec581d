import { and, asc, eq } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { metadataFields } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { isUniqueViolation } from "../db/errors.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { checkField } from "../http/validation.server";
import { CreateMetadataFieldBodySchema, UpdateMetadataFieldBodySchema, type METADATA_FIELD_TYPES } from "~/schemas/admin";

type Ctx = AuditContext;
type FieldType = (typeof METADATA_FIELD_TYPES)[number];
type FieldRow = typeof metadataFields.$inferSelect;

export function fieldView(f: FieldRow) {
  return {
    id: f.id,
    key: f.key,
    label: f.label,
    type: f.type,
    options: f.options ? (JSON.parse(f.options) as string[]) : null,
    createdAt: f.createdAt,
  };
}

/** The tenant's typed user-metadata fields (values arrive with assets). */
export async function listMetadataFields(ctx: Ctx) {
  const data = await tenantData(ctx);
  return (await metadataFieldsStatement(data).all()).map(fieldView);
}

/** The tenant's fields by key, as a statement (for a caller's batch). */
export function metadataFieldsStatement(scope: Pick<TenantData, "tenantId" | "db">) {
  return scope.db.select().from(metadataFields).where(eq(metadataFields.tenantId, scope.tenantId)).orderBy(asc(metadataFields.key));
}

export async function createMetadataField(ctx: Ctx, p: { key: string; label: string; type: FieldType; options?: string[] | undefined }) {
  const data = await tenantData(ctx);
  p = checkField(CreateMetadataFieldBodySchema, p, "");
  const id = newId("metadataField");
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .insert(metadataFields)
          .values({
            id,
            tenantId: data.tenantId,
            key: p.key,
            label: p.label.trim(),
            type: p.type,
            options: p.options ? JSON.stringify(p.options) : null,
          })
          .returning(),
      ],
      { action: "metadata_field.created", target: { type: "metadata_field", id, name: p.key }, details: { key: p.key, type: p.type } },
    );
    return fieldView(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", `A field with the key "${p.key}" already exists.`, { reason: "field_key_exists" });
    throw error;
  }
}

async function findField(data: TenantData, fieldId: string) {
  const field = await data.db
    .select()
    .from(metadataFields)
    .where(and(eq(metadataFields.tenantId, data.tenantId), eq(metadataFields.id, fieldId)))
    .get();
  if (!field) fail("not_found", "No such metadata field.");
  return field;
}

/** The key and type are fixed once created (stored values depend on them); label and options may change. */
export async function updateMetadataField(ctx: Ctx, fieldId: string, p: { label?: string | undefined; options?: string[] | undefined }) {
  const data = await tenantData(ctx);
  p = checkField(UpdateMetadataFieldBodySchema, p, "");
  const field = await findField(data, fieldId);
  const takesOptions = field.type === "select" || field.type === "multiselect";
  if (p.options !== undefined && !takesOptions) {
    fail("validation_failed", "The request body is not valid.", { fields: [{ path: "options", message: "Only select fields take options." }] });
  }
  const changes = {
    ...(p.label !== undefined ? { label: p.label.trim() } : {}),
    ...(p.options !== undefined ? { options: JSON.stringify(p.options) } : {}),
  };
  const [rows] = await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(metadataFields)
        .set(changes)
        .where(and(eq(metadataFields.tenantId, data.tenantId), eq(metadataFields.id, fieldId)))
        .returning(),
    ],
    { action: "metadata_field.updated", target: { type: "metadata_field", id: fieldId, name: field.key }, details: { key: field.key, ...p } },
  );
  return fieldView(rows[0]!);
}

export async function deleteMetadataField(ctx: Ctx, fieldId: string) {
  const data = await tenantData(ctx);
  const field = await findField(data, fieldId);
  await commitAudited(ctx, data, [data.db.delete(metadataFields).where(and(eq(metadataFields.tenantId, data.tenantId), eq(metadataFields.id, fieldId)))], {
    action: "metadata_field.deleted",
    target: { type: "metadata_field", id: fieldId, name: field.key },
    details: { key: field.key },
  });
}
