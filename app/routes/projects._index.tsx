import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { listProjects } from "~/.server/access/projects.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";

export const access = allow.tenantUser();

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "projects.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const me = tenantPrincipal(context);
  return { projects: await listProjects(context), isAdmin: me.tenantRole === "tenant_admin" };
}

export default function ProjectsPage() {
  const t = useT();
  const { projects, isAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("projects.title")}</h1>
      {projects.length === 0 ? (
        <section className="card empty" data-testid="projects-empty">
          <p>{t("projects.none")}</p>
          <p className="muted">{isAdmin ? t("projects.noneAdmin") : t("projects.noneUser")}</p>
          {isAdmin ? <Link to="/admin/projects">{t("admin.projects.create")}</Link> : null}
        </section>
      ) : (
        <ul className="project-list" data-testid="project-list">
          {projects.map((p) => (
            <li key={p.id} className="card" data-testid="project-item" data-name={p.name}>
              <Link to={`/projects/${encodeURIComponent(p.id)}`}>{p.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
