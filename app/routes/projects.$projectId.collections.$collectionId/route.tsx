/**
 * A collection (issue #14): its assets, newest additions first, each linking to its asset page;
 * holders of collection.manage rename it, delete it and take assets out. Assets are added from
 * the project's browse page (the selection's "Add to collection").
 */
import { ProjectCrumbs } from "~/components/assets/project-crumbs";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { parseParams, parseQuery, readFormData } from "~/.server/http/validation.server";
import { listCollectionAssets } from "~/.server/review/collections.server";
import { folderPathsOf, folderPathsStatement } from "~/.server/assets/folders.server";
import { shareFormSettings } from "~/.server/sharing/share-forms.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { Thumb } from "~/components/assets/bits";
import { pages } from "~/components/assets/urls";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import { RouteErrorBoundary } from "~/components/route-error";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import assetsCss from "~/styles/assets.css?url";
import sharesCss from "~/styles/shares.css?url";
import { ShareCollection } from "./share-panel";
import { collectionAction, collectionInProject, type Done } from "./actions.server";

export { intents } from "./intents";

export const access = allow.tenantUser();

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: assetsCss },
  { rel: "stylesheet", href: sharesCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.collection.name} — ${data.project.name} — Kura` : "Kura" }];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128), collectionId: z.string().min(1).max(128) });
const QuerySchema = z.object({ cursor: z.string().max(512).optional() });
const PAGE = 100;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId, collectionId } = parseParams(params, ParamsSchema);
  const { cursor } = parseQuery(request, QuerySchema);
  const { project, capabilities, data } = await requireProjectPermission(context, projectId, "asset.view");
  const collection = await collectionInProject(context, projectId, collectionId);
  const canShare = capabilities.has("share.create");
  const [page, shareForm] = await Promise.all([
    listCollectionAssets(context, collection.id, { limit: PAGE, cursor }),
    canShare ? shareFormSettings(context, viewerTimeZone(request, context, tenantPrincipal(context))) : null,
  ]);
  return {
    project: { id: project.id, name: project.name },
    collection,
    page,
    canManage: capabilities.has("collection.manage"),
    shareForm,
    /** Deferred: the upload folder choices of the share form. */
    folderPaths: canShare
      ? folderPathsStatement(data, projectId)
          .all()
          .then((rows) => folderPathsOf(rows).items.map((f) => ({ id: f.id, path: f.path.join(" / ") })))
      : Promise.resolve([]),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId, collectionId } = parseParams(params, ParamsSchema);
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  return collectionAction(context, projectId, collectionId, await readFormData(request), { timeZone });
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function CollectionPage() {
  const t = useT();
  const text = useUiText();
  const data = useLoaderData<typeof loader>();
  const { project, collection, page, canManage } = data;
  const renamed = useFormResult<Done>("rename");
  const removed = useFormResult<Done>("remove-asset");
  return (
    <>
      <ProjectCrumbs project={project} current={collection.name} />
      <h1 data-testid="collection-name">{collection.name}</h1>
      <p className="muted" data-testid="collection-count">
        {t("collection.count", { count: collection.assetCount })}
      </p>
      {renamed?.ok ? <Notice>{text(renamed.notice)}</Notice> : null}
      {removed?.ok ? <Notice>{text(removed.notice)}</Notice> : null}
      <FormAlert failure={failureOf(removed)} />
      {canManage ? (
        <div className="toolbar">
          <Form method="post" className="inline-form compact">
            <input type="hidden" name="intent" value="rename" />
            <label htmlFor="collection-rename">{t("collection.name")}</label>
            <input id="collection-rename" name="name" defaultValue={collection.name} maxLength={200} required />
            <button type="submit">{t("collection.rename")}</button>
            <FormAlert failure={failureOf(renamed)} />
            <FieldErrorText failure={failureOf(renamed)} name="name" />
          </Form>
          <details className="confirm">
            <summary>{t("collection.delete")}</summary>
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <p>{t("collection.deleteConfirm")}</p>
              <button type="submit" className="danger" data-testid="collection-delete">
                {t("collection.delete")}
              </button>
            </Form>
          </details>
        </div>
      ) : null}
      {data.shareForm ? <ShareCollection settings={data.shareForm} name={collection.name} folderPaths={data.folderPaths} /> : null}
      {page.items.length === 0 ? (
        <p className="muted">{t("collection.empty")}</p>
      ) : (
        <ul className="collection-grid" data-testid="collection-assets">
          {page.items.map((a) => (
            <li key={a.id} className="card collection-item" data-testid="collection-asset" data-name={a.name}>
              <Link to={pages.asset(project.id, a.id)} className="collection-thumb">
                <Thumb id={a.id} kind={a.kind} hasThumbnail={a.hasThumbnail} />
                <span className="collection-asset-name">{a.name}</span>
              </Link>
              {canManage ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-asset" />
                  <input type="hidden" name="assetId" value={a.id} />
                  <button type="submit" className="small" data-testid="collection-remove">
                    {t("collection.remove")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {page.nextCursor ? (
        <p>
          <Link to={`?cursor=${encodeURIComponent(page.nextCursor)}`}>{t("collection.more")}</Link>
        </p>
      ) : null}
    </>
  );
}
