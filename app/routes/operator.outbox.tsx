/**
 * The mail the service has sent, newest first (the operator API's outbox): recipient, subject and
 * time. Bodies are not shown: they carry setup and reset links, and in production the stored copy
 * has those blanked anyway.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { parseQuery } from "~/.server/http/validation.server";
import { readOutbox } from "~/.server/mail/outbox.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { DateTime } from "~/components/date-time";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { OutboxQuerySchema } from "~/schemas/admin";

export const access = allow.operatorConsole();

export const meta: MetaFunction = () => [{ title: "Kura — 送信メール / Outbox" }, { name: "robots", content: "noindex" }];

const PAGE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = operatorPrincipal(context);
  const url = new URL(request.url);
  // An empty filter field means no filter (a no-JS form sends it).
  if (url.searchParams.get("to") === "") url.searchParams.delete("to");
  const query = parseQuery(new Request(url), OutboxQuerySchema.omit({ limit: true }));
  const mail = await readOutbox(context, { ...query, limit: PAGE });
  return { operator, to: query.to ?? "", items: mail.map(({ to, subject, createdAt }) => ({ to, subject, createdAt })) };
}

export default function OperatorOutboxPage() {
  const { operator, to, items } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>{t("op.outbox.title")}</h1>
      <p className="muted">{t("op.outbox.lead")}</p>
      <Form method="get" className="inline-form">
        <label htmlFor="op-outbox-to">{t("op.outbox.to")}</label>
        <input id="op-outbox-to" name="to" type="email" defaultValue={to} autoComplete="off" />
        <button type="submit">{t("op.outbox.filter")}</button>
      </Form>
      {items.length === 0 ? (
        <p className="muted">{t("op.outbox.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="op-outbox">
            <thead>
              <tr>
                <th scope="col">{t("op.audit.at")}</th>
                <th scope="col">{t("op.outbox.to")}</th>
                <th scope="col">{t("op.outbox.subject")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m, i) => (
                <tr key={`${m.createdAt}-${i}`}>
                  <td>
                    <DateTime value={m.createdAt} />
                  </td>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
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
