/**
 * The tenant admin's shares (issue #14): the share policy, and every share of the tenant across
 * projects with the same per-recipient figures as a project's screen, filtered by state and
 * project; any share can be paused, changed or revoked here.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listProjects } from "~/.server/access/projects.server";
import { parseQuery, readFormData } from "~/.server/http/validation.server";
import { shareFormSettings } from "~/.server/sharing/share-forms.server";
import { listTenantShares, uploadFolderChoices } from "~/.server/sharing/share-lists.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { ShareCard } from "~/components/sharing/share-card";
import { MoreShares, ShareFilters } from "~/components/sharing/share-filters";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { FormAlert, failureOf, useFormResult } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ShareStateSchema } from "~/schemas/review";
import sharesCss from "~/styles/shares.css?url";
import { adminSharesAction } from "./actions.server";
import { SharePolicyPanel } from "./policy-panel";

export { intents } from "./intents";

export const access = allow.tenantAdmin();

export const links: LinksFunction = () => [{ rel: "stylesheet", href: sharesCss }];

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "adminShares.title");

// A filter value that is not one (a state or a project id) lists everything rather than failing.
const QuerySchema = z.object({
  state: ShareStateSchema.optional().catch(undefined),
  projectId: z
    .string()
    .regex(/^prj_[a-z2-7]{26}$/)
    .optional()
    .catch(undefined),
  cursor: z.string().max(512).optional(),
});
const PAGE = 30;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { state, projectId, cursor } = parseQuery(request, QuerySchema);
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  const [list, projects, settings] = await Promise.all([
    listTenantShares(context, { limit: PAGE, cursor, state, projectId }),
    listProjects(context),
    shareFormSettings(context, timeZone),
  ]);
  return {
    ...list,
    filters: { state, projectId },
    projects: projects.map((p) => ({ id: p.id, name: p.name })),
    settings,
    /** Deferred: the listed shares' upload folders. */
    folders: uploadFolderChoices(
      context,
      list.items.map((s) => s.projectId),
    ),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return adminSharesAction(context, await readFormData(request), { timeZone: viewerTimeZone(request, context, tenantPrincipal(context)) });
}

export default function AdminSharesPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  // A button whose share could not even be named (a broken form) is refused here, above the list.
  const listResult = useFormResult("shares");
  return (
    <>
      <h1>{t("adminShares.title")}</h1>
      <AdminNav />
      <SharePolicyPanel policy={data.settings.policy} />
      <section aria-labelledby="admin-shares-heading">
        <h2 id="admin-shares-heading">{t("adminShares.list")}</h2>
        <p className="muted">{t("adminShares.lead")}</p>
        <FormAlert failure={failureOf(listResult)} />
        <ShareFilters state={data.filters.state}>
          <label htmlFor="share-filter-project">{t("shares.project")}</label>
          <select id="share-filter-project" name="projectId" defaultValue={data.filters.projectId ?? ""}>
            <option value="">{t("adminShares.allProjects")}</option>
            {data.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </ShareFilters>
        {data.items.length === 0 ? <p className="muted">{data.filters.state || data.filters.projectId ? t("shares.noneFiltered") : t("shares.none")}</p> : null}
        <div className="share-list" data-testid="shares">
          {data.items.map((share) => (
            <ShareCard key={share.id} share={share} settings={data.settings} folders={data.folders} showProject />
          ))}
        </div>
        <MoreShares cursor={data.nextCursor} search={data.filters} />
      </section>
    </>
  );
}
