/**
 * The operator console's home: every tenant with its contract state, usage against quota and
 * quota warning. Contract facts and numbers only: no customer content.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { parseQuery } from "~/.server/http/validation.server";
import { listTenants } from "~/.server/tenants/tenants.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { ConsoleNav } from "~/components/operator/console-nav";
import { formatBytes } from "~/components/assets/format";
import { useLocale, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { quotaLevel, usagePercent } from "~/.server/usage/quota-warnings.server";
import { allow } from "~/policy/access";

export const access = allow.operatorConsole();

export const meta: MetaFunction = () => [{ title: "Kura — 運営者コンソール / Operator console" }, { name: "robots", content: "noindex" }];

const QuerySchema = z.object({ cursor: z.string().max(500).optional() }).strict();

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = operatorPrincipal(context);
  const { cursor } = parseQuery(request, QuerySchema);
  const page = await listTenants(context.env, { limit: 100, ...(cursor ? { cursor } : {}) });
  return {
    operator,
    nextCursor: page.nextCursor,
    tenants: page.items.map((t) => ({
      ...t,
      percent: usagePercent(t.usage.bytes, t.storageQuotaBytes),
      level: quotaLevel(t.usage.bytes, t.storageQuotaBytes),
    })),
  };
}

export default function OperatorHome() {
  const { operator, tenants, nextCursor } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>{t("op.tenants.title")}</h1>
      {tenants.length === 0 ? (
        <p className="muted">{t("op.tenants.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="op-tenants">
            <thead>
              <tr>
                <th scope="col">{t("op.tenants.slug")}</th>
                <th scope="col">{t("op.tenants.name")}</th>
                <th scope="col">{t("op.tenants.status")}</th>
                <th scope="col">{t("op.tenants.usage")}</th>
                <th scope="col">{t("op.tenants.quota")}</th>
                <th scope="col">{t("op.tenants.warning")}</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tenant) => (
                <tr key={tenant.id} data-tenant-id={tenant.id}>
                  <td>
                    <Link to={`/operator/tenants/${tenant.id}`}>{tenant.slug}</Link>
                  </td>
                  <td>{tenant.name}</td>
                  <td>{t(`op.status.${tenant.status}` as MessageKey)}</td>
                  <td>
                    {formatBytes(tenant.usage.bytes, locale)} ({tenant.percent.toLocaleString(locale)}%)
                  </td>
                  <td>{formatBytes(tenant.storageQuotaBytes, locale)}</td>
                  <td data-level={tenant.level}>{tenant.level > 0 ? `${tenant.level}%` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <p>
          <Link to={`/operator?cursor=${encodeURIComponent(nextCursor)}`}>→</Link>
        </p>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
