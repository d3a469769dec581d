import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { parseParams } from "~/.server/http/validation.server";
import { UploadPanel } from "~/components/upload/upload-panel";
import { useLocale, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { allow } from "~/policy/access";
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS, type Capability } from "~/policy/capabilities";

export const access = allow.tenantUser();

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.project.name} — Kura` : "Kura" }];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  // 404 without a grant, 403 with a grant lacking asset.view.
  const { project, capabilities } = await requireProjectPermission(context, projectId, "asset.view");
  return {
    project: { id: project.id, name: project.name, createdAt: project.createdAt },
    capabilities: CAPABILITIES.filter((c) => capabilities.has(c)),
  };
}

/** What each capability lets the user do here; shown only when held. */
const ACTIONS: { cap: Capability; key: MessageKey }[] = [
  { cap: "asset.upload", key: "project.action.upload" },
  { cap: "search.use", key: "project.action.search" },
  { cap: "asset.download_original", key: "project.action.downloadOriginal" },
  { cap: "asset.download_proxy", key: "project.action.downloadProxy" },
  { cap: "asset.edit_metadata", key: "project.action.editMetadata" },
  { cap: "marker.edit", key: "project.action.markers" },
  { cap: "share.create", key: "project.action.share" },
  { cap: "collection.manage", key: "project.action.collections" },
  { cap: "asset.delete", key: "project.action.delete" },
];

export default function ProjectPage() {
  const t = useT();
  const locale = useLocale();
  const { project, capabilities } = useLoaderData<typeof loader>();
  const held = new Set<string>(capabilities);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/projects">{t("projects.title")}</Link> /
      </p>
      <h1 data-testid="project-name">{project.name}</h1>
      <section className="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading" className="visually-hidden">
          {t("common.actions")}
        </h2>
        <div className="toolbar" data-testid="project-actions">
          {held.has("project.manage_members") ? (
            <Link className="button-link" to={`/projects/${encodeURIComponent(project.id)}/members`} data-testid="cap-project.manage_members">
              {t("project.manageMembers")}
            </Link>
          ) : null}
          {ACTIONS.filter((a) => held.has(a.cap)).map((a) => (
            <button type="button" key={a.cap} data-testid={`cap-${a.cap}`} disabled title={t("project.comingSoon")}>
              {t(a.key)}
            </button>
          ))}
        </div>
        <p className="muted">{t("project.comingSoon")}</p>
      </section>
      {held.has("asset.upload") ? <UploadPanel projectId={project.id} folderId={null} /> : null}
      <section className="card empty" aria-labelledby="assets-heading">
        <h2 id="assets-heading">{t("project.assets")}</h2>
        <p data-testid="assets-empty">{t("project.noAssets")}</p>
      </section>
      <section className="card" aria-labelledby="caps-heading">
        <h2 id="caps-heading">{t("project.yourPermissions")}</h2>
        <ul className="caps-list" data-testid="capabilities">
          {CAPABILITIES.map((c) => (
            <li key={c} data-capability={c} data-held={held.has(c) ? "yes" : "no"} className={held.has(c) ? "held" : "not-held"}>
              <span aria-hidden="true">{held.has(c) ? "✓" : "—"}</span> {CAPABILITY_DESCRIPTIONS[c][locale]} <code>{c}</code>
              <span className="visually-hidden">{held.has(c) ? t("project.held") : t("project.notHeld")}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
