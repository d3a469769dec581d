/** The operator audit log (ADR 0027): every operator action, console or API token, newest first. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { parseQuery } from "~/.server/http/validation.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { operatorAuditPage } from "~/.server/operator/operator-audit.server";
import { DateTime } from "~/components/date-time";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";

export const access = allow.operatorConsole();

export const meta: MetaFunction = () => [{ title: "Kura — 運営者ログ / Operator log" }, { name: "robots", content: "noindex" }];

const PAGE = 100;
const QuerySchema = z.object({ before: z.iso.datetime().optional() }).strict();

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { before } = parseQuery(request, QuerySchema);
  const items = await operatorAuditPage(context.env, { limit: PAGE, before });
  return { operator: operatorPrincipal(context), items, nextBefore: items.length === PAGE ? items.at(-1)!.at : null };
}

export default function OperatorAuditPage() {
  const { operator, items, nextBefore } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>{t("op.audit.title")}</h1>
      <div className="table-wrap">
        <table className="table" data-testid="op-audit">
          <thead>
            <tr>
              <th scope="col">{t("op.audit.at")}</th>
              <th scope="col">{t("op.audit.actor")}</th>
              <th scope="col">{t("op.audit.action")}</th>
              <th scope="col">{t("op.audit.target")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>
                  <DateTime value={e.at} />
                </td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.targetType ? `${e.targetType} ` : ""}
                  {e.targetId ? <code>{e.targetId}</code> : null}
                  {e.details ? <div className="muted small">{JSON.stringify(e.details)}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBefore ? (
        <p>
          <Link to={`/operator/audit?before=${encodeURIComponent(nextBefore)}`}>→</Link>
        </p>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
