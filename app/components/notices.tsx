import { Form, Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import { DateTime } from "~/components/date-time";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";

export type NoticeView = { id: string; severity: "info" | "maintenance" | "incident"; title: string; body: string; createdAt: string; endsAt: string | null };

/** The signed-in user's current notices and the ids this browser hid from the banner, as the root loader read them once per request. */
export function useNotices(): { notices: NoticeView[]; hidden: Set<string> } {
  const data = useRouteLoaderData("root") as { notices?: unknown; hiddenNotices?: unknown } | undefined;
  return {
    notices: Array.isArray(data?.notices) ? (data.notices as NoticeView[]) : [],
    hidden: new Set(Array.isArray(data?.hiddenNotices) ? (data.hiddenNotices as string[]) : []),
  };
}

const SEVERITY_ORDER = { incident: 0, maintenance: 1, info: 2 } as const;

/** One announcement: severity, title, times and body (the body keeps its line breaks; React escapes it all). */
export function NoticeArticle({ notice, headingLevel }: { notice: NoticeView; headingLevel: 2 | 3 }) {
  const t = useT();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="notice" data-severity={notice.severity} data-testid="notice" data-notice-id={notice.id}>
      <Heading>
        <span className="notice-severity">{t(`status.severity.${notice.severity}` as MessageKey)}</span> {notice.title}
      </Heading>
      <p className="muted small">
        <DateTime value={notice.createdAt} />
        {notice.endsAt ? (
          <>
            {" "}
            {t("notices.until")} <DateTime value={notice.endsAt} />
          </>
        ) : null}
      </p>
      <p className="notice-body">{notice.body}</p>
    </article>
  );
}

/**
 * The banner over every page of a signed-in user: the most severe current announcement this
 * browser has not hidden, and how many more there are. An incident is an alert; the rest a status.
 */
export function NoticeBanner({ notices }: { notices: NoticeView[] }) {
  const t = useT();
  const location = useLocation();
  if (notices.length === 0) return null;
  const first = [...notices].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.createdAt.localeCompare(a.createdAt))[0]!;
  return (
    <div className="notice-banner" data-severity={first.severity} data-testid="notice-banner" role={first.severity === "incident" ? "alert" : "status"}>
      <p>
        <strong className="notice-severity">{t(`status.severity.${first.severity}` as MessageKey)}</strong>{" "}
        <span data-testid="notice-banner-title">{first.title}</span>
      </p>
      <div className="notice-banner-actions">
        <Link to="/notices">{notices.length > 1 ? t("notices.more", { count: String(notices.length - 1) }) : t("notices.details")}</Link>
        <Form method="post" action="/notices" reloadDocument={false}>
          <input type="hidden" name="id" value={first.id} />
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" className="link-button" data-testid="notice-hide">
            {t("notices.hide")}
          </button>
        </Form>
      </div>
    </div>
  );
}
