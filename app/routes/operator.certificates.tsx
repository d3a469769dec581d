/** The deletion certificates issued (ADR 0026): one per purged tenant, its counts, and the signed file. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { listCertificates } from "~/.server/offboarding/certificate.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";

export const access = allow.operatorConsole();

export const meta: MetaFunction = () => [{ title: "Kura — 削除証明書 / Deletion certificates" }, { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { operator: operatorPrincipal(context), items: await listCertificates(context.env) };
}

export default function OperatorCertificatesPage() {
  const { operator, items } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>{t("op.certificates.title")}</h1>
      <p className="muted">{t("op.certificates.lead")}</p>
      {items.length === 0 ? (
        <p className="muted">{t("op.certificates.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="op-certificates">
            <thead>
              <tr>
                <th scope="col">{t("op.tenants.slug")}</th>
                <th scope="col">{t("op.tenant.purgedAt")}</th>
                <th scope="col">{t("op.certificates.rows")}</th>
                <th scope="col">{t("op.certificates.objects")}</th>
                <th scope="col">{t("op.certificates.backups")}</th>
                <th scope="col">{t("op.certificates.file")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.tenantId} data-tenant={c.tenantId}>
                  <td>
                    <code>{c.tenantSlug}</code>
                  </td>
                  <td>
                    <DateTime value={c.purgedAt} />
                  </td>
                  <td>{c.deleted.rows.toLocaleString(locale)}</td>
                  <td>
                    {c.deleted.objects.toLocaleString(locale)} ({formatBytes(c.deleted.bytes, locale)})
                  </td>
                  <td>{c.deleted.backups.toLocaleString(locale)}</td>
                  <td>
                    <a href={`/operator/tenants/${c.tenantId}/certificate`} download>
                      {t("op.certificates.download")}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
