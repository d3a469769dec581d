import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { FilterForm } from "~/components/clean-url";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listAudit, verifyAudit } from "~/.server/audit/read.server";
import { readFormData, toFieldErrors } from "~/.server/http/validation.server";
import { allUsers } from "~/.server/ui/lists.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { dayRangeInZone } from "~/i18n/time-zone";
import { DateTime } from "~/components/date-time";
import { Notice } from "~/components/forms";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { auditActionLabel } from "~/i18n/labels";
import { AUDIT_ACTIONS } from "~/policy/audit-actions";
import { AuditScreenQuerySchema } from "~/schemas/audit";

export const access = allow.tenantAdmin();

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "audit.title");

const PAGE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = AuditScreenQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  // A bad filter value is shown next to the form; the page still lists events.
  const filters = parsed.success ? parsed.data : {};
  // A day is midnight to midnight where the viewer is, as every time on the page.
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  const [page, users] = await Promise.all([listAudit(context, { ...filters, ...dayRangeInZone(filters, timeZone), limit: PAGE }), allUsers(context)]);
  return {
    page,
    users: users.map((u) => ({ id: u.id, email: u.email, name: u.name })),
    filters: {
      action: url.searchParams.get("action") ?? "",
      actorId: url.searchParams.get("actorId") ?? "",
      from: url.searchParams.get("from") ?? "",
      to: url.searchParams.get("to") ?? "",
    },
    filterErrors: parsed.success ? [] : toFieldErrors(parsed.error),
    timeZone,
    paged: Boolean(url.searchParams.get("cursor")),
  };
}

/** "Verify integrity" recomputes the whole chain; it changes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  await readFormData(request);
  const result = await verifyAudit(context);
  return { verified: result };
}

function withParams(base: string, params: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

type Item = Awaited<ReturnType<typeof loader>>["page"]["items"][number];

function Actor({ item, users }: { item: Item; users: Map<string, { email: string; name: string }> }) {
  const t = useT();
  if (item.actor.type === "operator") return <span>{t("audit.actor.operator")}</span>;
  if (item.actor.type === "system") return <span>{t("audit.actor.system")}</span>;
  const known = item.actor.id ? users.get(item.actor.id) : undefined;
  const label = known?.name || known?.email || item.actor.email || t("audit.actor.unknown");
  if (!item.actor.id) return <span className="muted">{label}</span>;
  return (
    <Link to={withParams("/admin/audit", { actorId: item.actor.id })} title={item.actor.email ?? undefined}>
      {label}
    </Link>
  );
}

function Target({ item }: { item: Item }) {
  const name = item.target.name ?? item.target.id ?? "—";
  if (item.target.type === "user" && item.target.id) {
    return <Link to={withParams("/admin/audit", { actorId: item.target.id })}>{name}</Link>;
  }
  if (item.target.type === "project" && item.target.id) return <Link to={`/projects/${item.target.id}`}>{name}</Link>;
  return (
    <span>
      <span className="muted">{item.target.type}</span> {name}
    </span>
  );
}

export default function AuditScreen() {
  const { page, users, filters, filterErrors, paged, timeZone } = useLoaderData<typeof loader>();
  const verified = (useActionData<typeof action>() as { verified?: { ok: boolean; count: number; firstBadSeq: number | null } } | undefined)?.verified;
  const t = useT();
  const locale = useLocale();
  const busy = useNavigation().state !== "idle";
  const userMap = new Map(users.map((u) => [u.id, u]));
  const exportParams = { action: filters.action, actorId: filters.actorId, from: filters.from, to: filters.to };
  return (
    <>
      <AdminNav />
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.lead")}</p>

      <section className="card" aria-label={t("audit.filter.apply")}>
        <FilterForm className="inline-form" data-testid="audit-filters">
          <label>
            {t("audit.filter.action")}
            <select name="action" defaultValue={filters.action}>
              <option value="">{t("audit.filter.anyAction")}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {auditActionLabel(a, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("audit.filter.actor")}
            <select name="actorId" defaultValue={filters.actorId}>
              <option value="">{t("audit.filter.anyActor")}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name ? `${u.name} <${u.email}>` : u.email}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("audit.filter.from")}
            <input type="date" name="from" defaultValue={filters.from} />
          </label>
          <label>
            {t("audit.filter.to")}
            <input type="date" name="to" defaultValue={filters.to} />
          </label>
          <button type="submit">{t("audit.filter.apply")}</button>
          <Link to="/admin/audit">{t("audit.filter.clear")}</Link>
        </FilterForm>
        <p className="muted" data-testid="audit-days-zone">
          {t("time.zone.days", { zone: timeZone })}
        </p>
        {filterErrors.length > 0 ? (
          <p className="alert alert-error" role="alert" data-testid="filter-error">
            {filterErrors.map((e) => `${e.path}: ${e.message}`).join(" · ")}
          </p>
        ) : null}
      </section>

      <section className="card">
        <div className="inline-form">
          <a href={withParams("/admin/audit/export", { ...exportParams, format: "csv" })} download data-testid="export-csv">
            {t("audit.export.csv")}
          </a>
          <a href={withParams("/admin/audit/export", { ...exportParams, format: "jsonl" })} download data-testid="export-jsonl">
            {t("audit.export.jsonl")}
          </a>
          <Form method="post">
            <button type="submit" disabled={busy} data-testid="verify">
              {t("audit.verify.button")}
            </button>
          </Form>
        </div>
        <p className="muted">{t("audit.export.hint")}</p>
        {verified ? (
          verified.ok ? (
            <Notice testId="verify-result">{t("audit.verify.ok", { count: verified.count })}</Notice>
          ) : (
            <p className="alert alert-error" role="alert" data-testid="verify-result">
              {t("audit.verify.bad", { seq: verified.firstBadSeq ?? "?" })}
            </p>
          )
        ) : null}
      </section>

      <section className="card">
        {page.items.length === 0 ? (
          <p data-testid="audit-empty">{t("audit.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t("audit.col.time")}</th>
                  <th>{t("audit.col.actor")}</th>
                  <th>{t("audit.col.action")}</th>
                  <th>{t("audit.col.target")}</th>
                  <th>{t("audit.col.ip")}</th>
                  <th>{t("audit.col.outcome")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => (
                  <tr key={item.seq} data-testid="audit-row" data-action={item.action} data-actor={item.actor.id ?? ""}>
                    <td className="muted">{item.seq}</td>
                    <td>
                      <DateTime value={item.at} />
                    </td>
                    <td>
                      <Actor item={item} users={userMap} />
                    </td>
                    <td>
                      {auditActionLabel(item.action, locale)}
                      {item.details ? (
                        <details>
                          <summary className="muted">{t("audit.details")}</summary>
                          <pre className="audit-details">{JSON.stringify(item.details, null, 2)}</pre>
                        </details>
                      ) : null}
                    </td>
                    <td>
                      <Target item={item} />
                    </td>
                    <td>{item.ip ?? "—"}</td>
                    <td>
                      <span className="badge" data-outcome={item.outcome}>
                        {t(`audit.outcome.${item.outcome}` as MessageKey)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="inline-form">
          {paged ? <Link to={withParams("/admin/audit", exportParams)}>{t("audit.newest")}</Link> : null}
          {page.nextCursor ? (
            <Link to={withParams("/admin/audit", { ...exportParams, cursor: page.nextCursor })} data-testid="audit-older">
              {t("audit.older")}
            </Link>
          ) : null}
        </p>
      </section>
    </>
  );
}
