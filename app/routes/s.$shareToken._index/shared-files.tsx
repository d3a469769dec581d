import { Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Thumb } from "~/components/assets/bits";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import type { PortalFile } from "~/components/guest/portal-files";
import { guestApi, guestPages } from "~/components/guest/urls";
import { useLocale, useT } from "~/i18n/use-t";
import { GuestUpload } from "./guest-upload";
import { useMoreFiles } from "./use-more-files";

type Summary = {
  expiresAt: string;
  can: { downloadOriginal: boolean; downloadProxy: boolean; comment: boolean; approve: boolean; upload: boolean };
  maxDownloads: number | null;
  guest: { email: string | null; name: string };
};
type Kind = "video" | "audio" | "image" | "other";
type FirstPage = { items: PortalFile[]; nextCursor: string | null; total: number };

/** Starts loading the next page this far before the guest scrolls to the end of the list. */
const AHEAD = "800px";

/**
 * The share's files: thumbnails that open the player, sizes, and downloads when the share allows
 * them. The first page comes with the page; the next ones load as the "more" button nears the
 * viewport (and when it is pressed, for keyboards and for browsers without IntersectionObserver).
 */
export function SharedFiles({ token, tenant, share, assets }: { token: string; tenant: { name: string }; share: Summary; assets: FirstPage }) {
  const t = useT();
  const locale = useLocale();
  const { items, hasMore, state, more } = useMoreFiles(token, assets);
  const moreButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const button = moreButton.current;
    if (!button || state !== "idle" || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void more(), { rootMargin: AHEAD });
    observer.observe(button);
    return () => observer.disconnect();
  }, [more, state, hasMore]);
  return (
    <section aria-labelledby="guest-files-title" data-testid="guest-files">
      <header className="guest-head">
        <p className="muted" data-testid="guest-tenant">
          {t("guest.sharedBy", { tenant: tenant.name })}
        </p>
        <h1 id="guest-files-title">
          {t("guest.openTitle")} <span className="muted small">({t("guest.files", { count: assets.total.toLocaleString(locale) })})</span>
        </h1>
        <p className="muted small">
          {t("guest.expires")}: <DateTime value={share.expiresAt} /> · <span data-testid="guest-identity">{t("guest.you", { name: share.guest.name })}</span>
          {share.maxDownloads !== null && share.can.downloadOriginal ? ` · ${t("guest.capped", { count: share.maxDownloads })}` : ""}
        </p>
      </header>
      {share.can.upload ? <GuestUpload token={token} /> : null}
      {items.length === 0 ? (
        <p className="muted">{t("guest.noFiles")}</p>
      ) : (
        <ul className="guest-grid">
          {items.map((a) => (
            <li key={a.id} className="guest-card" data-testid="guest-asset" data-asset-id={a.id}>
              <Link to={guestPages.asset(token, a.id)} discover="none" className="guest-card-link" data-testid="guest-asset-open">
                <Thumb id={a.id} kind={a.kind as Kind} hasThumbnail={a.hasThumbnail} src={guestApi.thumbnail(token, a.id)} />
                <span className="guest-card-name" title={a.name}>
                  {a.name}
                </span>
              </Link>
              <span className="muted small">{formatBytes(a.size, locale)}</span>
              {share.can.downloadOriginal ? (
                <a className="button-link small" href={guestApi.original(token, a.id)} download={a.name} data-testid="guest-download">
                  {t("guest.downloadOriginal")}
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {hasMore ? (
        <div className="guest-more">
          <span className="muted small" role="status" data-testid="guest-shown">
            {t("guest.shown", { shown: items.length.toLocaleString(locale), count: assets.total.toLocaleString(locale) })}
          </span>
          {state === "failed" ? (
            <p className="alert alert-error" role="alert">
              {t("guest.loadFailed")}{" "}
              <button type="button" onClick={() => void more()}>
                {t("guest.retry")}
              </button>
            </p>
          ) : (
            <button ref={moreButton} type="button" onClick={() => void more()} disabled={state === "loading"} data-testid="guest-more">
              {state === "loading" ? t("guest.loadingMore") : t("guest.showMore")}
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}
