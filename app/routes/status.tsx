import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { checkServiceStatus } from "~/.server/status/status.server";
import { incidentHistory } from "~/.server/notices/announcements.server";
import { signingKey } from "~/.server/offboarding/signing.server";
import { DateTime } from "~/components/date-time";
import { NoticeArticle } from "~/components/notices";
import { intlLocale } from "~/i18n/locale";
import { formatDateTimeInZone } from "~/i18n/time-zone";
import { useTimeZone } from "~/i18n/use-time-zone";
import { useLocale, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Public service status page.");

export const meta: MetaFunction = () => [{ title: "Kura — Status / 稼働状況" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const [status, history, key] = await Promise.all([
    checkServiceStatus(context.env, { timeoutMs: context.config.statusCheckTimeoutMs }),
    incidentHistory(context.env).catch(() => []),
    // Published so a customer can check a deletion certificate without trusting the operator console (ADR 0026).
    signingKey(context.env).then(
      (k) => ({ keyId: k.keyId, publicKey: k.publicKey }),
      () => null,
    ),
  ]);
  return { ...status, history, signingKey: key };
}

const KNOWN_COMPONENTS = new Set(["database", "storage", "backups", "audit_log", "configuration"]);

export default function StatusPage() {
  const status = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const time = formatDateTimeInZone(new Date(status.checkedAt), intlLocale(locale), timeZone, { seconds: true });
  return (
    <>
      <h1>{t("status.title")}</h1>
      <p className="status-banner" data-testid="overall" data-state={status.status} role="status">
        {t(`status.overall.${status.status}` as MessageKey)}
      </p>
      <section className="card" aria-labelledby="components-heading">
        <h2 id="components-heading" className="muted">
          {t("status.checkedAt")}:{" "}
          <time dateTime={status.checkedAt} title={timeZone}>
            {time.text} {time.zone}
          </time>
        </h2>
        <ul className="components">
          {status.components.map((c) => (
            <li key={c.name} data-component={c.name}>
              <span>{KNOWN_COMPONENTS.has(c.name) ? t(`status.component.${c.name}` as MessageKey) : c.name}</span>
              <span>
                <span className="muted">
                  {t("status.latency")} {c.latencyMs} ms ·{" "}
                </span>
                <span className="state" data-state={c.status}>
                  {t(`status.state.${c.status}` as MessageKey)}
                </span>
              </span>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/status" reloadDocument>
            {t("status.refresh")}
          </Link>
        </p>
      </section>
      <section className="card" aria-labelledby="notices-heading">
        <h2 id="notices-heading">{t("status.notices")}</h2>
        {status.notices.length === 0 ? (
          <p className="muted">{t("status.noNotices")}</p>
        ) : (
          status.notices.map((n) => <NoticeArticle key={n.id} notice={n} headingLevel={3} />)
        )}
      </section>
      <section className="card" aria-labelledby="history-heading" data-testid="incident-history">
        <h2 id="history-heading">{t("status.history")}</h2>
        {status.history.length === 0 ? (
          <p className="muted">{t("status.noHistory")}</p>
        ) : (
          <ul className="notice-list">
            {status.history.map((n) => (
              <li key={n.id} data-testid="incident" data-ongoing={n.ongoing ? "yes" : "no"}>
                <NoticeArticle notice={n} headingLevel={3} />
                <p className="small">
                  <strong>{n.ongoing ? t("status.ongoing") : t("status.resolvedAt")}</strong>
                  {!n.ongoing && n.endsAt ? (
                    <>
                      {" "}
                      <DateTime value={n.endsAt} />
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {status.signingKey ? (
        <p className="muted small" data-testid="signing-key">
          {t("status.signingKey")}: <code>{status.signingKey.publicKey}</code> (key id <code>{status.signingKey.keyId}</code>)
        </p>
      ) : null}
      <p className="muted">{t("status.api")}</p>
    </>
  );
}
