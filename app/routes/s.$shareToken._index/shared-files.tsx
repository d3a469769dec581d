import { Link } from "@remix-run/react";
import { Thumb } from "~/components/assets/bits";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import { guestApi, guestPages } from "~/components/guest/urls";
import { useLocale, useT } from "~/i18n/use-t";
import { GuestUpload } from "./guest-upload";

type Summary = {
  expiresAt: string;
  can: { downloadOriginal: boolean; downloadProxy: boolean; comment: boolean; approve: boolean; upload: boolean };
  maxDownloads: number | null;
  guest: { email: string | null; name: string };
};
type Kind = "video" | "audio" | "image" | "other";
type File = { id: string; name: string; kind: string; size: number; hasThumbnail: boolean; status: string };

/** The share's files: thumbnails that open the player, sizes, and downloads when the share allows them. */
export function SharedFiles({ token, tenant, share, assets }: { token: string; tenant: { name: string }; share: Summary; assets: File[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="guest-files-title" data-testid="guest-files">
      <header className="guest-head">
        <p className="muted" data-testid="guest-tenant">
          {t("guest.sharedBy", { tenant: tenant.name })}
        </p>
        <h1 id="guest-files-title">
          {t("guest.openTitle")} <span className="muted small">({t("guest.files", { count: assets.length })})</span>
        </h1>
        <p className="muted small">
          {t("guest.expires")}: <DateTime value={share.expiresAt} /> · <span data-testid="guest-identity">{t("guest.you", { name: share.guest.name })}</span>
          {share.maxDownloads !== null && share.can.downloadOriginal ? ` · ${t("guest.capped", { count: share.maxDownloads })}` : ""}
        </p>
      </header>
      {share.can.upload ? <GuestUpload token={token} /> : null}
      {assets.length === 0 ? (
        <p className="muted">{t("guest.noFiles")}</p>
      ) : (
        <ul className="guest-grid">
          {assets.map((a) => (
            <li key={a.id} className="guest-card" data-testid="guest-asset" data-asset-id={a.id}>
              <Link to={guestPages.asset(token, a.id)} className="guest-card-link" data-testid="guest-asset-open">
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
    </section>
  );
}
