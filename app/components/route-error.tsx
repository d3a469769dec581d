import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";

/** The error page shown for a status: 400, 401, 403 and 404 have their own words; anything else is 500's. */
export function errorKind(status: number): 400 | 401 | 403 | 404 | 500 {
  return status === 400 || status === 401 || status === 403 || status === 404 ? status : 500;
}

/** The error page's words for a status, a request reference for a 500, and one way back. */
export function ErrorPage({
  status,
  requestId,
  t,
  back,
}: {
  status: number;
  requestId: string | null | undefined;
  t: (key: MessageKey) => string;
  back: { to: string; label: string };
}) {
  const kind = errorKind(status);
  return (
    <section className="error-page" data-status={status}>
      <h1>{t(`error.${kind}.title` as MessageKey)}</h1>
      <p>{t(`error.${kind}.body` as MessageKey)}</p>
      {kind === 500 && requestId ? (
        <p className="muted">
          {t("error.reference")}: <code>{requestId}</code>
        </p>
      ) : null}
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </section>
  );
}

/**
 * A route's error boundary: the message for the status and a way back,
 * inside the app shell. Leaks nothing: no stack and no server message.
 */
export function RouteErrorBoundary({ back = "/projects", backKey = "nav.projects" }: { back?: string; backKey?: MessageKey }) {
  const error = useRouteError();
  const t = useT();
  const root = useRouteLoaderData("root") as { requestId?: string } | undefined;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return <ErrorPage status={status} requestId={root?.requestId} t={t} back={{ to: back, label: t(backKey) }} />;
}
