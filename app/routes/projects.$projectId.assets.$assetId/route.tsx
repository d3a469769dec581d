/**
 * The asset page: player (or thumbnail), technical metadata, file facts,
 * and, for holders of asset.edit_metadata, name, tags, colour label and the
 * tenant's typed metadata fields. Download and delete by capability. The
 * panels are the modules beside this one; the buttons' handlers are in
 * actions.server.ts.
 */
import { ProjectCrumbs } from "~/components/assets/project-crumbs";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { getFolder } from "~/.server/assets/folders.server";
import { parseParams, readFormData } from "~/.server/http/validation.server";
import { colleagueName } from "~/.server/identity/users.server";
import { listMetadataFields } from "~/.server/metadata/fields.server";
import { mediaState } from "~/.server/media/media.server";
import { assetNeighbours } from "~/.server/assets/neighbours.server";
import { listMarkers } from "~/.server/review/markers.server";
import { listApprovals } from "~/.server/review/approvals.server";
import { ColorDot, StatusBadge } from "~/components/assets/bits";
import { TechnicalTable } from "~/components/assets/technical-table";
import { webApi } from "~/components/assets/urls";
import { RouteErrorBoundary } from "~/components/route-error";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import assetsCss from "~/styles/assets.css?url";
import { assetAction, assetInProject } from "./actions.server";
import { EditPanel } from "./edit-panel";
import { DeleteAsset, FileFacts } from "./file-facts";
import { ReadOnlyPanel } from "./metadata-panel";
import { Player } from "./player";
import { GuestVerdicts } from "./guest-verdicts";
import { problemText } from "~/components/assets/technical-table";

export { intents } from "./intents";

export const access = allow.tenantUser();

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.asset.name} — ${data.project.name} — Kura` : "Kura" }];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128), assetId: z.string().min(1).max(128) });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId, assetId } = parseParams(params, ParamsSchema);
  const { project, capabilities, principal } = await requireProjectPermission(context, projectId, "asset.view");
  const asset = await assetInProject(context, projectId, assetId);
  const [fields, folder, creator, media, neighbours, markers, approvals] = await Promise.all([
    listMetadataFields(context),
    asset.folderId ? getFolder(context, asset.folderId) : Promise.resolve(null),
    asset.createdBy ? colleagueName(context, asset.createdBy) : Promise.resolve(null),
    mediaState(context, asset.id),
    assetNeighbours(context, asset.id),
    listMarkers(context, asset.id),
    listApprovals(context, asset.id),
  ]);
  return {
    project: { id: project.id, name: project.name },
    asset,
    can: {
      edit: capabilities.has("asset.edit_metadata"),
      delete: capabilities.has("asset.delete"),
      download: capabilities.has("asset.download_original"),
      downloadProxy: media.canDownloadProxy,
      retryMedia: media.canRetry,
    },
    media,
    neighbours,
    markers: markers.items,
    approvals,
    review: { edit: capabilities.has("marker.edit"), moderate: capabilities.has("project.manage_members"), userId: principal.userId },
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options })),
    folder: folder ? { id: folder.id, breadcrumbs: folder.breadcrumbs } : null,
    creator: creator ? { name: creator.name, isMe: creator.id === principal.userId } : null,
    isTenantAdmin: principal.tenantRole === "tenant_admin",
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId, assetId } = parseParams(params, ParamsSchema);
  return assetAction(context, projectId, assetId, await readFormData(request));
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function AssetPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { asset, project } = data;
  return (
    <>
      <ProjectCrumbs project={project} folders={data.folder?.breadcrumbs} current={asset.name} />
      <div className="asset-title" data-testid="asset-title" data-status={asset.status}>
        <ColorDot color={asset.colorLabel} />
        <h1 data-testid="asset-name">{asset.name}</h1>
        <StatusBadge status={asset.status} />
      </div>
      {asset.status === "processing" ? <p className="alert alert-warn">{t("asset.processing")}</p> : null}
      {asset.status === "failed" ? (
        <p className="alert alert-error" data-testid="asset-problem">
          {t("asset.failed", { problem: problemText(t, asset) ?? "" })}
        </p>
      ) : null}
      <div className="asset-layout">
        <div>
          <Player data={data} />
          <div className="asset-actions">
            {data.can.download ? (
              <a className="button-link primary" href={webApi.original(asset.id)} download={asset.name} data-testid="download-original">
                {t("asset.download")}
              </a>
            ) : null}
            {data.can.downloadProxy && data.media.proxy ? (
              <a className="button-link" href={webApi.proxy(asset.id)} download data-testid="download-proxy">
                {t("media.downloadProxy")}
              </a>
            ) : null}
            {data.can.delete ? <DeleteAsset asset={asset} /> : null}
          </div>
          <GuestVerdicts approvals={data.approvals} />
          <TechnicalTable technical={asset.technical} />
          <FileFacts data={data} />
        </div>
        <div>{data.can.edit ? <EditPanel data={data} /> : <ReadOnlyPanel data={data} />}</div>
      </div>
    </>
  );
}
