import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { pages } from "./urls";

type Named = { id: string; name: string };

/** The trail of a page inside a project: Projects › the project › its folders, if any › this page. */
export function ProjectCrumbs({ project, folders = [], current }: { project: Named; folders?: readonly Named[]; current: string }) {
  const t = useT();
  return (
    <nav aria-label={t("browse.breadcrumbs")} className="folder-crumbs">
      <ol>
        <li>
          <Link to="/projects">{t("projects.title")}</Link>
        </li>
        <li>
          <Link to={pages.project(project.id)} data-testid="crumb-project">
            {project.name}
          </Link>
        </li>
        {folders.map((folder) => (
          <li key={folder.id}>
            <Link to={pages.folder(project.id, folder.id)}>{folder.name}</Link>
          </li>
        ))}
        <li>
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}
