import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { addGroupMember, createGroup, deleteGroup, listGroups, removeGroupMember, renameGroup } from "~/.server/access/groups.server";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { allUsers } from "~/.server/ui/lists.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { ConfirmedAction, failureOf, Field, FieldErrorText, FormAlert, Notice, useBusy, useFormResult } from "~/components/forms";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { GroupCreateFormSchema, GroupDeleteFormSchema, GroupMemberFormSchema, GroupRenameFormSchema } from "~/schemas/forms/admin";

export const access = allow.tenantAdmin();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["create", "rename", "delete", "add-member", "remove-member"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "admin.groups.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const [groups, users] = await Promise.all([listGroups(context), allUsers(context)]);
  return { groups, users: users.map((u) => ({ id: u.id, email: u.email, name: u.name })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "create") {
    const parsed = parseFormData(formData, GroupCreateFormSchema);
    if (!parsed.ok) return validationFailure("create", parsed.errors, formData);
    const result = await attempt("create", formData, () => createGroup(context, parsed.data));
    return result.ok ? { ok: true as const, form: "create", name: result.value.name } : result;
  }
  const rowForm = `group:${String(formData.get("groupId") ?? "")}`;
  if (intent === "rename") {
    const parsed = parseFormData(formData, GroupRenameFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const result = await attempt(rowForm, formData, () => renameGroup(context, parsed.data.groupId, { name: parsed.data.name }));
    return result.ok ? { ok: true as const, form: rowForm } : result;
  }
  if (intent === "delete") {
    const parsed = parseFormData(formData, GroupDeleteFormSchema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const result = await attempt(rowForm, formData, () => deleteGroup(context, parsed.data.groupId));
    return result.ok ? { ok: true as const, form: "deleted" } : result;
  }
  const parsed = parseFormData(formData, GroupMemberFormSchema);
  if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
  const { groupId, userId } = parsed.data;
  const result = await attempt(rowForm, formData, () =>
    parsed.data.intent === "add-member" ? addGroupMember(context, groupId, userId).then(() => undefined) : removeGroupMember(context, groupId, userId),
  );
  return result.ok ? { ok: true as const, form: rowForm } : result;
}

type Data = Awaited<ReturnType<typeof loader>>;

function GroupCard({ group, users }: { group: Data["groups"][number]; users: Data["users"] }) {
  const t = useT();
  const failure = failureOf(useFormResult(`group:${group.id}`));
  const members = users.filter((u) => group.memberIds.includes(u.id));
  const others = users.filter((u) => !group.memberIds.includes(u.id));
  return (
    <article className="card" data-testid="group" data-name={group.name}>
      <h3>{group.name}</h3>
      <FormAlert failure={failure} />
      <Form method="post" className="inline-form compact">
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="groupId" value={group.id} />
        <label className="visually-hidden" htmlFor={`group-name-${group.id}`}>
          {t("admin.groups.name")}
        </label>
        <input id={`group-name-${group.id}`} name="name" defaultValue={group.name} key={group.name} maxLength={100} required />
        <button type="submit">{t("admin.projects.rename")}</button>
      </Form>
      <FieldErrorText failure={failure} name="name" />
      {members.length === 0 ? (
        <p className="muted">{t("admin.groups.noMembers")}</p>
      ) : (
        <ul className="plain-list">
          {members.map((m) => (
            <li key={m.id}>
              {m.name || m.email} <span className="muted">{m.email}</span>{" "}
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="remove-member" />
                <input type="hidden" name="groupId" value={group.id} />
                <input type="hidden" name="userId" value={m.id} />
                <button type="submit">{t("common.remove")}</button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 ? (
        <Form method="post" className="inline-form compact">
          <input type="hidden" name="intent" value="add-member" />
          <input type="hidden" name="groupId" value={group.id} />
          <label htmlFor={`add-${group.id}`}>{t("admin.groups.addMember")}</label>
          <select id={`add-${group.id}`} name="userId">
            {others.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name ? `${u.name} <${u.email}>` : u.email}
              </option>
            ))}
          </select>
          <button type="submit">{t("common.add")}</button>
        </Form>
      ) : null}
      <ConfirmedAction
        summary={t("admin.groups.delete")}
        question={t("admin.groups.deleteConfirm", { name: group.name })}
        intent="delete"
        fields={{ groupId: group.id }}
        button={t("common.deletePermanently")}
      />
    </article>
  );
}

export default function AdminGroupsPage() {
  const t = useT();
  const { groups, users } = useLoaderData<typeof loader>();
  const created = useFormResult<{ ok: true; form: string; name: string }>("create");
  const deleted = useFormResult("deleted");
  const failure = failureOf(created);
  const busy = useBusy("create");
  return (
    <>
      <h1>{t("admin.groups.title")}</h1>
      <AdminNav />
      <section className="card" aria-labelledby="new-group-heading">
        <h2 id="new-group-heading">{t("admin.groups.create")}</h2>
        {created?.ok ? <Notice>{t("admin.groups.created", { name: created.name })}</Notice> : null}
        {deleted?.ok ? <Notice>{t("admin.groups.deleted")}</Notice> : null}
        <FormAlert failure={failure} />
        <Form method="post" className="inline-form" key={created?.ok ? created.name : "new"}>
          <input type="hidden" name="intent" value="create" />
          <Field label={t("admin.groups.name")} name="name" failure={failure} maxLength={100} required />
          <button type="submit" className="primary" disabled={busy}>
            {t("common.create")}
          </button>
        </Form>
      </section>
      {groups.length === 0 ? <p className="muted">{t("admin.groups.none")}</p> : null}
      {groups.map((g) => (
        <GroupCard key={g.id} group={g} users={users} />
      ))}
    </>
  );
}
