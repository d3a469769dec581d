import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listGroups } from "~/.server/access/groups.server";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { listProjectMembers, removeProjectGrant, setProjectGrant } from "~/.server/access/projects.server";
import { listRoles } from "~/.server/access/roles.server";
import { parseFormData, parseParams, readFormData } from "~/.server/http/validation.server";
import { allUsers } from "~/.server/ui/lists.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { failureOf, FieldErrorText, FormAlert, Notice, SavedNote, useFormResult } from "~/components/forms";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { BUILT_IN_ROLE_NAMES, isBuiltInRole } from "~/policy/capabilities";
import { ProjectGrantFormSchema, ProjectGrantRemoveFormSchema } from "~/schemas/forms/admin";

/** Tenant admins, and users holding project.manage_members on this project (checked in the handlers). */
export const access = allow.tenantUser();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["grant", "remove"] as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.project.name} — Kura` : "Kura" }];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  const { project } = await requireProjectPermission(context, projectId, "project.manage_members");
  const [members, roles, users, groups] = await Promise.all([
    listProjectMembers(context, projectId),
    listRoles(context),
    allUsers(context),
    listGroups(context),
  ]);
  return {
    project: { id: project.id, name: project.name },
    members,
    roles: roles.map((r) => ({ id: r.id, name: r.name, builtIn: r.builtIn })),
    users: users.filter((u) => u.status !== "disabled").map((u) => ({ id: u.id, email: u.email, name: u.name })),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  // The same guard as the loader, before anything is read or written.
  await requireProjectPermission(context, projectId, "project.manage_members");
  const formData = await readFormData(request);
  if (formData.get("intent") === "remove") {
    const parsed = parseFormData(formData, ProjectGrantRemoveFormSchema);
    const rowForm = `member:${String(formData.get("principalType"))}:${String(formData.get("principalId"))}`;
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const result = await attempt(rowForm, formData, () => removeProjectGrant(context, projectId, parsed.data.principalType, parsed.data.principalId));
    return result.ok ? { ok: true as const, form: "removed" } : result;
  }
  const form = String(formData.get("form") ?? "grant-user");
  const parsed = parseFormData(formData, ProjectGrantFormSchema);
  if (!parsed.ok) return validationFailure(form, parsed.errors, formData);
  const { principalType, principalId, role } = parsed.data;
  const result = await attempt(form, formData, () => setProjectGrant(context, projectId, principalType, principalId, role));
  return result.ok ? { ok: true as const, form } : result;
}

type Data = Awaited<ReturnType<typeof loader>>;

function RoleSelect({ roles, id, defaultValue }: { roles: Data["roles"]; id: string; defaultValue?: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <select id={id} name="role" defaultValue={defaultValue ?? "viewer"} key={defaultValue}>
      <optgroup label={t("admin.roles.builtIn")}>
        {roles
          .filter((r) => r.builtIn)
          .map((r) => (
            <option key={r.id} value={r.id}>
              {isBuiltInRole(r.id) ? BUILT_IN_ROLE_NAMES[r.id][locale] : r.name}
            </option>
          ))}
      </optgroup>
      {roles.some((r) => !r.builtIn) ? (
        <optgroup label={t("admin.roles.custom")}>
          {roles
            .filter((r) => !r.builtIn)
            .map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
        </optgroup>
      ) : null}
    </select>
  );
}

function GrantForm({ kind, data }: { kind: "user" | "group"; data: Data }) {
  const t = useT();
  const form = `grant-${kind}`;
  const result = useFormResult(form);
  const failure = failureOf(result);
  const options =
    kind === "user"
      ? data.users.map((u) => ({ id: u.id, label: u.name ? `${u.name} <${u.email}>` : u.email }))
      : data.groups.map((g) => ({ id: g.id, label: g.name }));
  if (options.length === 0) return <p className="muted">{kind === "user" ? t("members.noUsers") : t("members.noGroups")}</p>;
  return (
    <>
      {result?.ok ? <Notice>{t("members.granted")}</Notice> : null}
      <FormAlert failure={failure} />
      <Form method="post" className="inline-form" data-testid={`${form}-form`}>
        <input type="hidden" name="intent" value="grant" />
        <input type="hidden" name="form" value={form} />
        <input type="hidden" name="principalType" value={kind} />
        <div className="field">
          <label htmlFor={`${form}-principal`}>{kind === "user" ? t("members.user") : t("members.group")}</label>
          <select id={`${form}-principal`} name="principalId" defaultValue={failure?.values.principalId}>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldErrorText failure={failure} name="principalId" />
        </div>
        <div className="field">
          <label htmlFor={`${form}-role`}>{t("members.role")}</label>
          <RoleSelect roles={data.roles} id={`${form}-role`} defaultValue={failure?.values.role} />
          <FieldErrorText failure={failure} name="role" />
        </div>
        <button type="submit" className="primary">
          {t("members.grant")}
        </button>
      </Form>
    </>
  );
}

function MemberRow({ member, data }: { member: Data["members"][number]; data: Data }) {
  const t = useT();
  const rowForm = `member:${member.principalType}:${member.principalId}`;
  const result = useFormResult(rowForm);
  const failure = failureOf(result);
  const user = member.principalType === "user" ? data.users.find((u) => u.id === member.principalId) : undefined;
  const group = member.principalType === "group" ? data.groups.find((g) => g.id === member.principalId) : undefined;
  const label = user ? user.name || user.email : group ? group.name : member.principalId;
  return (
    <tr data-testid="member-row" data-principal={user?.email ?? group?.name ?? member.principalId}>
      <td>
        {label} {user && user.name ? <span className="muted">{user.email}</span> : null}
      </td>
      <td>{member.principalType === "user" ? t("members.user") : t("members.group")}</td>
      <td>
        <Form method="post" className="inline-form compact">
          <input type="hidden" name="intent" value="grant" />
          <input type="hidden" name="form" value={rowForm} />
          <input type="hidden" name="principalType" value={member.principalType} />
          <input type="hidden" name="principalId" value={member.principalId} />
          <label className="visually-hidden" htmlFor={`${rowForm}-role`}>
            {t("members.role")}
          </label>
          <RoleSelect roles={data.roles} id={`${rowForm}-role`} defaultValue={member.role} />
          <button type="submit">{t("common.change")}</button>
        </Form>
        {result?.ok ? <SavedNote>{t("common.saved")}</SavedNote> : null}
        <FormAlert failure={failure} />
      </td>
      <td>
        <Form method="post">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="principalType" value={member.principalType} />
          <input type="hidden" name="principalId" value={member.principalId} />
          <button type="submit" className="danger">
            {t("common.remove")}
          </button>
        </Form>
      </td>
    </tr>
  );
}

export default function ProjectMembersPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const removed = useFormResult("removed");
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/projects">{t("projects.title")}</Link> / <Link to={`/projects/${encodeURIComponent(data.project.id)}`}>{data.project.name}</Link> /
      </p>
      <h1>{t("members.title", { project: data.project.name })}</h1>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">{t("members.current")}</h2>
        {removed?.ok ? <Notice>{t("members.removed")}</Notice> : null}
        {data.members.length === 0 ? (
          <p className="muted" data-testid="members-empty">
            {t("members.none")}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="members-table">
              <thead>
                <tr>
                  <th scope="col">{t("members.who")}</th>
                  <th scope="col">{t("members.kind")}</th>
                  <th scope="col">{t("members.role")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((m) => (
                  <MemberRow key={`${m.principalType}:${m.principalId}`} member={m} data={data} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="grant-user-heading">
        <h2 id="grant-user-heading">{t("members.grantUser")}</h2>
        <GrantForm kind="user" data={data} />
      </section>
      <section className="card" aria-labelledby="grant-group-heading">
        <h2 id="grant-group-heading">{t("members.grantGroup")}</h2>
        <GrantForm kind="group" data={data} />
      </section>
    </>
  );
}
