/**
 * One shared file for the share's guest (issue #14): the player on the preview (never the
 * original), the markers (and adding and replying when the share takes comments), the guest's
 * verdict when it asks for approval, downloads within its scope, and the guest's identity over the
 * picture when it asks for a watermark. Without a verified session: back to the share's gate.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { parseParams } from "~/.server/http/validation.server";
import { requireGuest } from "~/.server/sharing/guest-access.server";
import { guestAsset, guestShareSummary } from "~/.server/sharing/guest.server";
import { guestApi, guestPages } from "~/components/guest/urls";
import { RouteErrorBoundary } from "~/components/route-error";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ShareAssetParamsSchema } from "~/schemas/review";
import assetsCss from "~/styles/assets.css?url";
import { GuestApproval } from "./approval";
import { GuestPlayer } from "./guest-player";

export const access = allow.anonymous(
  "A share's guest portal: the link's token in the path, then the guest session in its cookie, checked by the sharing domain (issue #14).",
);

export const handle = { guestPortal: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.view.asset.name} — ${data.tenant.name} — Kura` : "Kura" },
  { name: "robots", content: "noindex, nofollow, noarchive" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken, assetId } = parseParams(params, ShareAssetParamsSchema);
  const guest = await requireGuest(context, shareToken, request).catch((error: unknown) => {
    // No (verified) session: the gate. A dead link stays a 404.
    if (error instanceof Response && error.status === 401) throw redirect(guestPages.share(shareToken));
    throw error;
  });
  return {
    token: shareToken,
    tenant: { name: guest.data.tenant.name },
    share: guestShareSummary(guest),
    view: await guestAsset(context, shareToken, assetId, request),
    now: new Date().toISOString(),
  };
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function SharedAsset() {
  const t = useT();
  const { token, tenant, share, view, now } = useLoaderData<typeof loader>();
  const { asset } = view;
  return (
    <>
      <nav aria-label={t("browse.breadcrumbs")} className="folder-crumbs">
        <ol>
          <li>
            <Link to={guestPages.share(token)} data-testid="guest-back">
              {t("guest.sharedBy", { tenant: tenant.name })}
            </Link>
          </li>
          <li>
            <span aria-current="page">{asset.name}</span>
          </li>
        </ol>
      </nav>
      <h1 className="asset-title" data-testid="asset-name">
        {asset.name}
      </h1>
      <p className="muted small" data-testid="guest-identity">
        {t("guest.you", { name: share.guest.name })}
      </p>
      <GuestPlayer
        token={token}
        asset={asset}
        media={view.media}
        markers={view.markers}
        canComment={share.can.comment}
        watermark={share.watermark ? { name: share.guest.name, at: now } : null}
      />
      <div className="asset-actions">
        {share.can.downloadOriginal ? (
          <a className="button-link primary" href={guestApi.original(token, asset.id)} download={asset.name} data-testid="guest-download">
            {t("guest.downloadOriginal")}
          </a>
        ) : null}
        {share.can.downloadProxy && view.media.proxy ? (
          <a className="button-link" href={guestApi.proxy(token, asset.id)} download data-testid="guest-download-proxy">
            {t("guest.downloadProxy")}
          </a>
        ) : null}
      </div>
      {share.can.approve ? <GuestApproval token={token} assetId={asset.id} initial={view.approval} /> : null}
    </>
  );
}
