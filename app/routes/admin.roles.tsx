import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { createRole, deleteRole, listRoles, updateRole } from "~/.server/access/roles.server";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { ConfirmedAction, failureOf, Field, FieldErrorText, FormAlert, Notice, SavedNote, useBusy, useFormResult } from "~/components/forms";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { capabilityLabel } from "~/i18n/labels";
import { BUILT_IN_ROLE_NAMES, CAPABILITIES, isBuiltInRole } from "~/policy/capabilities";
import { RoleCreateFormSchema, RoleDeleteFormSchema, RoleUpdateFormSchema } from "~/schemas/forms/admin";

export const access = allow.tenantAdmin();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["create", "update", "delete"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "admin.roles.title");

export async function loader({ context }: LoaderFunctionArgs) {
  return { roles: await listRoles(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "create") {
    const parsed = parseFormData(formData, RoleCreateFormSchema);
    if (!parsed.ok) return validationFailure("create", parsed.errors, formData);
    const result = await attempt("create", formData, () => createRole(context, parsed.data));
    return result.ok ? { ok: true as const, form: "create", name: result.value.name } : result;
  }
  const rowForm = `role:${String(formData.get("roleId") ?? "")}`;
  if (intent === "update") {
    const parsed = parseFormData(formData, RoleUpdateFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const { roleId, name, permissions } = parsed.data;
    const result = await attempt(rowForm, formData, () => updateRole(context, roleId, { name, permissions }));
    return result.ok ? { ok: true as const, form: rowForm } : result;
  }
  const parsed = parseFormData(formData, RoleDeleteFormSchema);
  if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
  const result = await attempt(rowForm, formData, () => deleteRole(context, parsed.data.roleId));
  return result.ok ? { ok: true as const, form: "deleted" } : result;
}

type Role = Awaited<ReturnType<typeof loader>>["roles"][number];

function useRoleName() {
  const locale = useLocale();
  return (role: Role) => (isBuiltInRole(role.id) ? BUILT_IN_ROLE_NAMES[role.id][locale] : role.name);
}

function CustomRoleRow({ role }: { role: Role }) {
  const t = useT();
  const result = useFormResult(`role:${role.id}`);
  const failure = failureOf(result);
  const formId = `role-form-${role.id}`;
  return (
    <tr data-testid="role-row" data-role={role.name}>
      <th scope="row">
        <label className="visually-hidden" htmlFor={`role-name-${role.id}`}>
          {t("admin.roles.name")}
        </label>
        <input id={`role-name-${role.id}`} name="name" form={formId} defaultValue={role.name} key={role.name} maxLength={100} required />
        <FieldErrorText failure={failure} name="name" />
      </th>
      {CAPABILITIES.map((cap) => (
        <td key={cap} className="cap-cell">
          <input
            type="checkbox"
            name="permissions"
            value={cap}
            form={formId}
            defaultChecked={role.permissions.includes(cap)}
            key={`${cap}:${role.permissions.includes(cap)}`}
            aria-label={`${role.name}: ${cap}`}
            data-capability={cap}
          />
        </td>
      ))}
      <td className="actions">
        <Form method="post" id={formId}>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="roleId" value={role.id} />
          <button type="submit">{t("common.save")}</button>
        </Form>
        <ConfirmedAction
          summary={t("common.delete")}
          question={t("admin.roles.deleteConfirm", { name: role.name })}
          intent="delete"
          fields={{ roleId: role.id }}
          button={t("common.deletePermanently")}
        />
        {result?.ok ? <SavedNote>{t("common.saved")}</SavedNote> : null}
        <FormAlert failure={failure} />
      </td>
    </tr>
  );
}

export default function AdminRolesPage() {
  const t = useT();
  const locale = useLocale();
  const roleName = useRoleName();
  const { roles } = useLoaderData<typeof loader>();
  const created = useFormResult<{ ok: true; form: string; name: string }>("create");
  const deleted = useFormResult("deleted");
  const failure = failureOf(created);
  const busy = useBusy("create");
  const kept = failure ? new Set((failure.values.permissions ?? "").split(",")) : null;
  return (
    <>
      <h1>{t("admin.roles.title")}</h1>
      <AdminNav />
      <section className="card" aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">{t("admin.roles.matrix")}</h2>
        <p className="muted">{t("admin.roles.matrixLead")}</p>
        {deleted?.ok ? <Notice>{t("admin.roles.deleted")}</Notice> : null}
        <div className="table-wrap">
          <table className="table matrix" data-testid="role-matrix">
            <thead>
              <tr>
                <th scope="col">{t("admin.roles.role")}</th>
                {CAPABILITIES.map((cap) => (
                  <th scope="col" key={cap} title={capabilityLabel(cap, locale)}>
                    <span className="cap-head">{capabilityLabel(cap, locale)}</span>
                    <code className="cap-key">
                      {cap.split(/(?<=[._])/).map((part, i) => (
                        <span key={i}>
                          {part}
                          <wbr />
                        </span>
                      ))}
                    </code>
                  </th>
                ))}
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {roles.map((role) =>
                role.builtIn ? (
                  <tr key={role.id} data-testid="role-row" data-role={role.id} className="builtin">
                    <th scope="row">
                      {roleName(role)} <span className="badge">{t("admin.roles.builtIn")}</span>
                    </th>
                    {CAPABILITIES.map((cap) => (
                      <td key={cap} className="cap-cell">
                        <input type="checkbox" checked={role.permissions.includes(cap)} disabled readOnly aria-label={`${roleName(role)}: ${cap}`} />
                      </td>
                    ))}
                    <td className="muted">{t("admin.roles.readOnly")}</td>
                  </tr>
                ) : (
                  <CustomRoleRow key={role.id} role={role} />
                ),
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="new-role-heading">
        <h2 id="new-role-heading">{t("admin.roles.create")}</h2>
        {created?.ok ? <Notice testId="role-created">{t("admin.roles.created", { name: created.name })}</Notice> : null}
        <FormAlert failure={failure} />
        <Form method="post" className="stack" key={created?.ok ? created.name : "new"} data-testid="role-create-form">
          <input type="hidden" name="intent" value="create" />
          <Field label={t("admin.roles.name")} name="name" failure={failure} maxLength={100} required />
          <fieldset className="caps">
            <legend>{t("admin.roles.capabilities")}</legend>
            {CAPABILITIES.map((cap) => (
              <label key={cap} className="check">
                <input type="checkbox" name="permissions" value={cap} defaultChecked={kept?.has(cap) ?? false} data-capability={cap} />
                <span>{capabilityLabel(cap, locale)}</span> <code>{cap}</code>
              </label>
            ))}
            <FieldErrorText failure={failure} name="permissions" />
          </fieldset>
          <button type="submit" className="primary" disabled={busy}>
            {t("admin.roles.createButton")}
          </button>
        </Form>
      </section>
    </>
  );
}
