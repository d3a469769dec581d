/**
 * Project browse: folders (`?folder=<id>`; none = the top level), search and
 * filters in the URL (the API's parameter names, see BrowseParamsSchema),
 * saved searches, tag facets, and the virtualised grid/list of assets with a
 * multi-select toolbar. All of it comes from one domain call, loadBrowse
 * (ADR 0021); further pages come from this same loader (`cursor`, and
 * `more=1` for the list alone), fetched by the assets pane.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { loadBrowse } from "~/.server/assets/browse.server";
import { listCollections } from "~/.server/review/collections.server";
import { shareFormSettings } from "~/.server/sharing/share-forms.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { parseParams, parseQuery, readFormData } from "~/.server/http/validation.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { UploadPanel } from "~/components/upload/upload-panel";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { browseSearch, parseBrowseParams } from "~/schemas/forms/assets";
import { SearchTextSchema } from "~/schemas/names";
import assetsCss from "~/styles/assets.css?url";
import sharesCss from "~/styles/shares.css?url";
import { browseAction } from "./actions.server";
import { AssetsPane } from "./assets-pane";
import { FolderCrumbs, FoldersPanel } from "./folders-panel";
import { Capabilities, ProjectActions } from "./project-actions";
import { SavedSearches } from "./saved-searches";
import { CollectionsPanel } from "./collections-panel";
import { MetadataCsvPanel } from "./metadata-csv-panel";
import { SearchForm } from "./search-form";
import { TagFacets } from "./tag-facets";
import { MORE_PAGE_SIZE, PAGE_SIZE, VIEW_COOKIE } from "./view";

export { intents } from "./intents";

export const access = allow.tenantUser();

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: assetsCss },
  { rel: "stylesheet", href: sharesCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.folder ? `${data.folder.name} — ` : ""}${data.project.name} — Kura` : "Kura" },
];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });
// Search text follows the API's rule: a NUL or control character is a 400, not a dropped filter.
const BrowseQuerySchema = z.object({ q: SearchTextSchema.optional(), cursor: z.string().max(1000).optional(), more: z.literal("1").optional() });

function viewOf(request: Request) {
  const cookie = request.headers.get("Cookie") ?? "";
  return new RegExp(`(?:^|;\\s*)${VIEW_COOKIE}=list(?:;|$)`).test(cookie) ? ("list" as const) : ("grid" as const);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  const { cursor, more } = parseQuery(request, BrowseQuerySchema);
  const browse = parseBrowseParams(new URL(request.url).searchParams);
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  const [data, collections, shareForm] = await Promise.all([
    loadBrowse(context, projectId, browse, { pageSize: cursor ? MORE_PAGE_SIZE : PAGE_SIZE, cursor, pageOnly: more === "1", timeZone }),
    more === "1" ? Promise.resolve([]) : listCollections(context, projectId),
    more === "1" ? Promise.resolve(null) : shareFormSettings(context, timeZone),
  ]);
  return {
    ...data,
    collections,
    shareForm: data.capabilities.includes("share.create") ? shareForm : null,
    browse: { ...browse, q: data.searchDenied ? undefined : browse.q },
    view: viewOf(request),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  return browseAction(context, projectId, await readFormData(request), { timeZone });
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function ProjectBrowsePage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { project, browse, folder } = data;
  const held = useMemo(() => new Set<string>(data.capabilities), [data.capabilities]);
  const revalidator = useRevalidator();
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/projects">{t("projects.title")}</Link> /
      </p>
      <h1 data-testid="project-name">{project.name}</h1>
      <FolderCrumbs data={data} />
      <ProjectActions held={held} projectId={project.id} />
      {data.searchDenied ? <p className="alert alert-warn">{t("browse.noAccessSearch")}</p> : null}
      <div className="browse-layout">
        <aside className="browse-side" aria-label={t("browse.filters")}>
          <FoldersPanel data={data} held={held} />
          <TagFacets data={data} />
          <SavedSearches data={data} />
          <CollectionsPanel data={data} held={held} />
        </aside>
        <div className="browse-main">
          <SearchForm data={data} held={held} />
          {held.has("asset.upload") ? (
            <details id="upload" className="card upload-card" data-testid="upload-section" open>
              <summary>{t("browse.upload")}</summary>
              <div data-testid="upload-slot">
                <UploadPanel projectId={project.id} folderId={folder?.id ?? null} onUploaded={() => revalidator.revalidate()} headingHidden />
              </div>
            </details>
          ) : null}
          <MetadataCsvPanel data={data} held={held} />
          <AssetsPane key={`${project.id}?${browseSearch(browse).toString()}`} data={data} held={held} />
        </div>
      </div>
      <details className="card caps-details">
        <summary>{t("project.yourPermissions")}</summary>
        <Capabilities held={held} />
      </details>
    </>
  );
}
