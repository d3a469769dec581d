/**
 * A project's shares (issue #14): every share with its state, what it holds and each link's
 * counters; pause, resume, change settings (the URLs stay), revoke a share or one recipient's
 * link. Needs share.create on the project, as the API does. New shares are made from the browse
 * page's selection or a collection's page.
 */
import { ProjectCrumbs } from "~/components/assets/project-crumbs";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireProjectIntent } from "~/.server/access/permissions.server";
import { parseParams, parseQuery, readFormData } from "~/.server/http/validation.server";
import { shareFormSettings, shareRowAction } from "~/.server/sharing/share-forms.server";
import { listProjectSharesPage, uploadFolderChoices } from "~/.server/sharing/share-lists.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { ShareCard } from "~/components/sharing/share-card";
import { MoreShares, ShareFilters } from "~/components/sharing/share-filters";
import { titleFor } from "~/i18n/meta";
import { FormAlert, failureOf, useFormResult } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ShareStateSchema } from "~/schemas/review";
import assetsCss from "~/styles/assets.css?url";
import sharesCss from "~/styles/shares.css?url";
import { INTENT_CAPABILITY } from "./intents";

export { intents } from "./intents";

export const access = allow.tenantUser();

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: assetsCss },
  { rel: "stylesheet", href: sharesCss },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const [title] = titleFor(matches, "shares.title");
  return [{ title: data ? `${data.project.name} — ${title!.title}` : title!.title }];
};

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });
const QuerySchema = z.object({ state: ShareStateSchema.optional().catch(undefined), cursor: z.string().max(512).optional() });
const PAGE = 30;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  const { state, cursor } = parseQuery(request, QuerySchema);
  const list = await listProjectSharesPage(context, projectId, { limit: PAGE, cursor, state });
  return {
    ...list,
    state,
    settings: await shareFormSettings(context, viewerTimeZone(request, context, tenantPrincipal(context))),
    /** Deferred: upload folders by path (the settings forms' choices and the cards' "uploads go to"). */
    folders: uploadFolderChoices(context, [projectId]),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  const formData = await readFormData(request);
  // The same guard as the API's (share.create on the project), before the form is read further.
  await requireProjectIntent(context, projectId, formData, INTENT_CAPABILITY);
  return shareRowAction(context, projectId, viewerTimeZone(request, context, tenantPrincipal(context)), formData);
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function ProjectSharesPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  // A button whose share could not even be named (a broken form) is refused here, above the list.
  const listResult = useFormResult("shares");
  return (
    <>
      <ProjectCrumbs project={data.project} current={t("shares.title")} />
      <h1>{t("shares.title")}</h1>
      <p className="muted">{t("shares.lead")}</p>
      <FormAlert failure={failureOf(listResult)} />
      <ShareFilters state={data.state} />
      {data.items.length === 0 ? <p className="muted">{data.state ? t("shares.noneFiltered") : t("shares.none")}</p> : null}
      <div className="share-list" data-testid="shares">
        {data.items.map((share) => (
          <ShareCard key={share.id} share={share} settings={data.settings} folders={data.folders} showProject={false} />
        ))}
      </div>
      <MoreShares cursor={data.nextCursor} search={{ state: data.state }} />
    </>
  );
}
