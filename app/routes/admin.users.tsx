import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { deleteUser, inviteUser, updateUser } from "~/.server/identity/users.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { allUsers } from "~/.server/ui/lists.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { DateTime } from "~/components/date-time";
import { ConfirmedAction, failureOf, Field, FieldErrorText, FormAlert, Notice, SavedNote, useBusy, useFormResult } from "~/components/forms";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { InviteUserFormSchema, UserDeleteFormSchema, UserResetTwoFactorFormSchema, UserRoleFormSchema, UserStatusFormSchema } from "~/schemas/forms/admin";

export const access = allow.tenantAdmin();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["invite", "role", "status", "reset-2fa", "delete"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "admin.users.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const me = tenantPrincipal(context);
  return { users: await allUsers(context), meId: me.userId };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "invite") {
    const parsed = parseFormData(formData, InviteUserFormSchema);
    if (!parsed.ok) return validationFailure("invite", parsed.errors, formData);
    const result = await attempt("invite", formData, () => inviteUser(context, parsed.data));
    if (!result.ok) return result;
    // The setup link goes by e-mail only; it is not shown here.
    return { ok: true as const, form: "invite", email: result.value.user.email };
  }
  // Row forms report under "user:<id>" so the message appears on that row.
  const rowForm = `user:${String(formData.get("userId") ?? "")}`;
  if (intent === "role") {
    const parsed = parseFormData(formData, UserRoleFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const result = await attempt(rowForm, formData, () => updateUser(context, parsed.data.userId, { tenantRole: parsed.data.tenantRole }));
    return result.ok ? { ok: true as const, form: rowForm, done: "role" } : result;
  }
  if (intent === "status") {
    const parsed = parseFormData(formData, UserStatusFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const result = await attempt(rowForm, formData, () => updateUser(context, parsed.data.userId, { disabled: parsed.data.disabled }));
    return result.ok ? { ok: true as const, form: rowForm, done: parsed.data.disabled ? "disabled" : "enabled" } : result;
  }
  if (intent === "reset-2fa") {
    const parsed = parseFormData(formData, UserResetTwoFactorFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const result = await attempt(rowForm, formData, () => updateUser(context, parsed.data.userId, { resetTwoFactor: true }));
    return result.ok ? { ok: true as const, form: rowForm, done: "reset2fa" } : result;
  }
  const parsed = parseFormData(formData, UserDeleteFormSchema);
  if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
  const result = await attempt(rowForm, formData, () => deleteUser(context, parsed.data.userId));
  return result.ok ? { ok: true as const, form: "deleted", done: "deleted" } : result;
}

type UserRow = Awaited<ReturnType<typeof loader>>["users"][number];

function UserRowView({ user, isMe }: { user: UserRow; isMe: boolean }) {
  const t = useT();
  const result = useFormResult<{ ok: true; form: string; done: string }>(`user:${user.id}`);
  const failure = failureOf(result);
  return (
    <tr data-testid="user-row" data-email={user.email}>
      <td>
        <strong>{user.name || "—"}</strong>
        <br />
        <span className="muted">{user.email}</span>
        {isMe ? <span className="badge">{t("admin.users.you")}</span> : null}
      </td>
      <td>
        <Form method="post" className="inline-form compact">
          <input type="hidden" name="intent" value="role" />
          <input type="hidden" name="userId" value={user.id} />
          <label className="visually-hidden" htmlFor={`role-${user.id}`}>
            {t("admin.users.tenantRole")}
          </label>
          <select id={`role-${user.id}`} name="tenantRole" defaultValue={user.tenantRole} key={user.tenantRole}>
            <option value="user">{t("role.tenant.user")}</option>
            <option value="tenant_admin">{t("role.tenant.tenant_admin")}</option>
          </select>
          <button type="submit">{t("common.change")}</button>
        </Form>
      </td>
      <td data-testid="user-status" data-status={user.status}>
        {t(`admin.users.status.${user.status}` as MessageKey)}
      </td>
      <td>{user.twoFactorEnabled ? t("twoFactor.on") : t("twoFactor.off")}</td>
      <td>
        <DateTime value={user.lastLoginAt} />
      </td>
      <td className="actions">
        <Form method="post">
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
          <button type="submit">{user.disabled ? t("admin.users.enable") : t("admin.users.disable")}</button>
        </Form>
        {user.twoFactorEnabled ? (
          <ConfirmedAction
            summary={t("admin.users.reset2fa")}
            question={t("admin.users.reset2faConfirm", { email: user.email })}
            intent="reset-2fa"
            fields={{ userId: user.id }}
            button={t("admin.users.reset2faButton")}
          />
        ) : null}
        <ConfirmedAction
          summary={t("common.delete")}
          question={t("admin.users.deleteConfirm", { email: user.email })}
          intent="delete"
          fields={{ userId: user.id }}
          button={t("common.deletePermanently")}
        />
        {result?.ok ? <SavedNote>{t(`admin.users.done.${result.done}` as MessageKey)}</SavedNote> : null}
        {failure ? <FormAlert failure={failure} /> : null}
      </td>
    </tr>
  );
}

export default function AdminUsersPage() {
  const t = useT();
  const { users, meId } = useLoaderData<typeof loader>();
  const invite = useFormResult<{ ok: true; form: string; email: string }>("invite");
  const deleted = useFormResult("deleted");
  const inviteFailure = failureOf(invite);
  const busy = useBusy("invite");
  return (
    <>
      <h1>{t("admin.users.title")}</h1>
      <AdminNav />
      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">{t("admin.users.invite")}</h2>
        {invite?.ok ? <Notice testId="invite-sent">{t("admin.users.invited", { email: invite.email })}</Notice> : null}
        <FormAlert failure={inviteFailure} />
        <Form method="post" className="inline-form" key={invite?.ok ? invite.email : "invite"} data-testid="invite-form">
          <input type="hidden" name="intent" value="invite" />
          <Field label={t("account.email")} name="email" type="email" failure={inviteFailure} required />
          <Field label={t("account.name")} name="name" failure={inviteFailure} maxLength={100} />
          <div className="field">
            <label htmlFor="invite-role">{t("admin.users.tenantRole")}</label>
            <select id="invite-role" name="tenantRole" defaultValue={inviteFailure?.values.tenantRole ?? "user"}>
              <option value="user">{t("role.tenant.user")}</option>
              <option value="tenant_admin">{t("role.tenant.tenant_admin")}</option>
            </select>
            <FieldErrorText failure={inviteFailure} name="tenantRole" />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t("admin.users.inviteButton")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="users-heading">
        <h2 id="users-heading">{t("admin.users.list")}</h2>
        {deleted?.ok ? <Notice>{t("admin.users.done.deleted")}</Notice> : null}
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t("admin.users.user")}</th>
                <th scope="col">{t("admin.users.tenantRole")}</th>
                <th scope="col">{t("admin.users.statusCol")}</th>
                <th scope="col">{t("account.twoFactor")}</th>
                <th scope="col">{t("admin.users.lastLogin")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <UserRowView key={u.id} user={u} isMe={u.id === meId} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
