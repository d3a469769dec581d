import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { createProject, listProjects, renameProject } from "~/.server/access/projects.server";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { DateTime } from "~/components/date-time";
import { failureOf, Field, FieldErrorText, FormAlert, Notice, SavedNote, useBusy, useFormResult } from "~/components/forms";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ProjectCreateFormSchema, ProjectRenameFormSchema } from "~/schemas/forms/admin";

export const access = allow.tenantAdmin();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["create", "rename"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "admin.projects.title");

export async function loader({ context }: LoaderFunctionArgs) {
  return { projects: await listProjects(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  if (formData.get("intent") === "create") {
    const parsed = parseFormData(formData, ProjectCreateFormSchema);
    if (!parsed.ok) return validationFailure("create", parsed.errors, formData);
    const result = await attempt("create", formData, () => createProject(context, parsed.data));
    return result.ok ? { ok: true as const, form: "create", id: result.value.id, name: result.value.name } : result;
  }
  const rowForm = `project:${String(formData.get("projectId") ?? "")}`;
  const parsed = parseFormData(formData, ProjectRenameFormSchema);
  if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
  const result = await attempt(rowForm, formData, () => renameProject(context, parsed.data.projectId, { name: parsed.data.name }));
  return result.ok ? { ok: true as const, form: rowForm } : result;
}

type Project = Awaited<ReturnType<typeof loader>>["projects"][number];

function ProjectRow({ project }: { project: Project }) {
  const t = useT();
  const result = useFormResult(`project:${project.id}`);
  const failure = failureOf(result);
  return (
    <tr data-testid="project-row" data-name={project.name}>
      <td>
        <Form method="post" className="inline-form compact">
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="projectId" value={project.id} />
          <label className="visually-hidden" htmlFor={`name-${project.id}`}>
            {t("admin.projects.name")}
          </label>
          <input id={`name-${project.id}`} name="name" defaultValue={project.name} key={project.name} maxLength={200} required />
          <button type="submit">{t("admin.projects.rename")}</button>
        </Form>
        <FieldErrorText failure={failure} name="name" />
        <FormAlert failure={failure} />
        {result?.ok ? <SavedNote>{t("common.saved")}</SavedNote> : null}
      </td>
      <td>
        <DateTime value={project.createdAt} />
      </td>
      <td className="actions">
        <Link to={`/projects/${encodeURIComponent(project.id)}/members`} data-testid="project-members-link">
          {t("project.manageMembers")}
        </Link>{" "}
        <Link to={`/projects/${encodeURIComponent(project.id)}`}>{t("common.open")}</Link>
      </td>
    </tr>
  );
}

export default function AdminProjectsPage() {
  const t = useT();
  const { projects } = useLoaderData<typeof loader>();
  const created = useFormResult<{ ok: true; form: string; id: string; name: string }>("create");
  const failure = failureOf(created);
  const busy = useBusy("create");
  return (
    <>
      <h1>{t("admin.projects.title")}</h1>
      <AdminNav />
      <section className="card" aria-labelledby="new-project-heading">
        <h2 id="new-project-heading">{t("admin.projects.create")}</h2>
        {created?.ok ? (
          <Notice testId="project-created">
            {t("admin.projects.created", { name: created.name })}{" "}
            <Link to={`/projects/${encodeURIComponent(created.id)}/members`}>{t("project.manageMembers")}</Link>
          </Notice>
        ) : null}
        <FormAlert failure={failure} />
        <Form method="post" className="inline-form" key={created?.ok ? created.id : "new"} data-testid="project-create-form">
          <input type="hidden" name="intent" value="create" />
          <Field label={t("admin.projects.name")} name="name" failure={failure} maxLength={200} required />
          <button type="submit" className="primary" disabled={busy}>
            {t("common.create")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="projects-heading">
        <h2 id="projects-heading">{t("admin.projects.list")}</h2>
        {projects.length === 0 ? (
          <p className="muted">{t("projects.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("admin.projects.name")}</th>
                  <th scope="col">{t("admin.projects.createdAt")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((p) => (
                  <ProjectRow key={p.id} project={p} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
