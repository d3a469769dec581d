/** Tenant admins define the typed metadata fields that everyone fills in on assets. */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { createMetadataField, deleteMetadataField, listMetadataFields, updateMetadataField } from "~/.server/metadata/fields.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { DateTime } from "~/components/date-time";
import { ConfirmedAction, failureOf, Field, FieldErrorText, FormAlert, Notice, SavedNote, useBusy, useFormResult } from "~/components/forms";
import { RouteErrorBoundary } from "~/components/route-error";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { fieldTypeLabel } from "~/components/metadata/field-types";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { METADATA_FIELD_TYPES } from "~/schemas/admin";
import { FieldCreateFormSchema, FieldDeleteFormSchema, FieldUpdateFormSchema } from "~/schemas/forms/assets";
import assetsCss from "~/styles/assets.css?url";

export const access = allow.tenantAdmin();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["create", "update", "delete"] as const;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "fields.title");

export async function loader({ context }: LoaderFunctionArgs) {
  return { fields: await listMetadataFields(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "create") {
    const parsed = parseFormData(formData, FieldCreateFormSchema);
    if (!parsed.ok) return validationFailure("create", parsed.errors, formData);
    const { key, label, type, options } = parsed.data;
    const takes = type === "select" || type === "multiselect";
    const result = await attempt("create", formData, () => createMetadataField(context, { key, label, type, options: takes ? options : undefined }));
    return result.ok ? { ok: true as const, form: "create", name: result.value.label } : result;
  }
  const rowForm = `field:${String(formData.get("fieldId") ?? "")}`;
  if (intent === "update") {
    const parsed = parseFormData(formData, FieldUpdateFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const { fieldId, label, options, takesOptions } = parsed.data;
    const result = await attempt(rowForm, formData, () =>
      updateMetadataField(context, fieldId, { label, options: takesOptions === "yes" ? options : undefined }),
    );
    return result.ok ? { ok: true as const, form: rowForm } : result;
  }
  const parsed = parseFormData(formData, FieldDeleteFormSchema);
  if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
  const result = await attempt(rowForm, formData, () => deleteMetadataField(context, parsed.data.fieldId));
  return result.ok ? { ok: true as const, form: "deleted" } : result;
}

export function ErrorBoundary() {
  return <RouteErrorBoundary back="/admin" backKey="nav.admin" />;
}

type FieldRow = Awaited<ReturnType<typeof loader>>["fields"][number];

function FieldCard({ field }: { field: FieldRow }) {
  const t = useT();
  const result = useFormResult(`field:${field.id}`);
  const failure = failureOf(result);
  const takes = field.type === "select" || field.type === "multiselect";
  return (
    <tr data-testid="field-row" data-key={field.key}>
      <td>
        <code>{field.key}</code>
      </td>
      <td>{fieldTypeLabel(t, field.type)}</td>
      <td>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="fieldId" value={field.id} />
          <input type="hidden" name="takesOptions" value={takes ? "yes" : "no"} />
          <div className="field">
            <label htmlFor={`label-${field.id}`} className="visually-hidden">
              {t("fields.label")}
            </label>
            <input id={`label-${field.id}`} name="label" defaultValue={failure?.values.label ?? field.label} key={field.label} maxLength={100} required />
            <FieldErrorText failure={failure} name="label" />
          </div>
          {takes ? (
            <div className="field">
              <label htmlFor={`options-${field.id}`}>{t("fields.options")}</label>
              <textarea
                id={`options-${field.id}`}
                name="options"
                rows={Math.min(8, (field.options?.length ?? 1) + 1)}
                defaultValue={failure?.values.options ?? (field.options ?? []).join("\n")}
                key={(field.options ?? []).join("|")}
              />
              <FieldErrorText failure={failure} name="options" />
            </div>
          ) : null}
          <button type="submit">{t("common.save")}</button>
        </Form>
        {result?.ok ? <SavedNote>{t("common.saved")}</SavedNote> : null}
        <FormAlert failure={failure} />
      </td>
      <td>
        <DateTime value={field.createdAt} />
      </td>
      <td>
        <ConfirmedAction
          summary={t("fields.delete")}
          question={t("fields.deleteConfirm", { name: field.label })}
          intent="delete"
          fields={{ fieldId: field.id }}
          button={t("common.deletePermanently")}
        />
      </td>
    </tr>
  );
}

export default function MetadataFieldsPage() {
  const t = useT();
  const { fields } = useLoaderData<typeof loader>();
  const created = useFormResult<{ ok: true; form: string; name: string }>("create");
  const deleted = useFormResult("deleted");
  const failure = failureOf(created);
  const busy = useBusy("create");
  const [type, setType] = useState<string>(failure?.values.type ?? "text");
  return (
    <>
      <h1>{t("fields.title")}</h1>
      <AdminNav />
      <p className="muted">{t("fields.lead")}</p>
      <section className="card" aria-labelledby="new-field-heading">
        <h2 id="new-field-heading">{t("fields.create")}</h2>
        {created?.ok ? <Notice>{t("fields.created", { name: created.name })}</Notice> : null}
        {deleted?.ok ? <Notice>{t("fields.deleted")}</Notice> : null}
        <FormAlert failure={failure} />
        <Form method="post" className="stack" key={created?.ok ? created.name : "new"} data-testid="field-create">
          <input type="hidden" name="intent" value="create" />
          <div className="inline-form">
            <Field label={t("fields.key")} name="key" failure={failure} maxLength={40} required pattern="[a-z][a-z0-9_]{0,39}" hint={t("fields.keyHint")} />
            <Field label={t("fields.label")} name="label" failure={failure} maxLength={100} required />
            <div className="field">
              <label htmlFor="f-type">{t("fields.type")}</label>
              <select id="f-type" name="type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
                {METADATA_FIELD_TYPES.map((ft) => (
                  <option key={ft} value={ft}>
                    {fieldTypeLabel(t, ft)}
                  </option>
                ))}
              </select>
              <FieldErrorText failure={failure} name="type" />
            </div>
          </div>
          <div className="field">
            <label htmlFor="f-options">{t("fields.options")}</label>
            <textarea
              id="f-options"
              name="options"
              rows={4}
              disabled={type !== "select" && type !== "multiselect"}
              defaultValue={failure?.values.options}
              aria-describedby="f-options-hint"
            />
            <small id="f-options-hint" className="muted">
              {t("fields.optionsHint")}
            </small>
            <FieldErrorText failure={failure} name="options" />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t("common.create")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="fields-heading">
        <h2 id="fields-heading">{t("fields.list")}</h2>
        {fields.length === 0 ? (
          <p className="muted" data-testid="fields-empty">
            {t("fields.none")}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="fields-table">
              <thead>
                <tr>
                  <th scope="col">{t("fields.key")}</th>
                  <th scope="col">{t("fields.type")}</th>
                  <th scope="col">{t("fields.label")}</th>
                  <th scope="col">{t("admin.projects.createdAt")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <FieldCard key={f.id} field={f} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
