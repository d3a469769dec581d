import { Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Notice } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { CopyButton } from "./copy-button";
import { QrCode } from "./qr-code";
import type { CreatedShare } from "./types";

/**
 * The links of a share just made, each with its QR code and a copy button, and the made password:
 * shown once (they come with the action's answer only; Kura keeps no token or password to show again).
 */
export function ShareCreatedPanel({ created, onClose }: { created: CreatedShare; onClose?: () => void }) {
  const t = useT();
  const ref = useRef<HTMLElement>(null);
  // Made from a form further down the page: the links come into view.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "nearest" });
  }, [created.id]);
  return (
    <section ref={ref} className="card share-created" aria-labelledby="share-created-heading" data-testid="share-created" data-share-id={created.id}>
      <h2 id="share-created-heading" className="visually-hidden">
        {t("share.links")}
      </h2>
      <Notice testId="share-created-notice">{t("share.created")}</Notice>
      {created.notified > 0 ? <p className="muted">{t("share.notified", { count: created.notified })}</p> : null}
      {created.password ? (
        <div className="share-password" data-testid="share-password-box">
          <span id="share-made-password-label" className="field-label">
            {t("share.createdPassword")}
          </span>
          <div className="share-copy-row">
            <code id="share-made-password" data-testid="share-password" aria-labelledby="share-made-password-label">
              {created.password}
            </code>
            <CopyButton text={created.password} selectId="share-made-password" testId="share-password-copy" />
          </div>
          <small className="muted">{t("share.createdPasswordHint")}</small>
        </div>
      ) : null}
      <ul className="share-links">
        {created.links.map((link, i) => {
          const who = link.recipientEmail ? t("share.linkFor", { email: link.recipientEmail }) : t("share.anonymousLink");
          const inputId = `share-link-${i}`;
          return (
            <li key={link.url} className="share-link" data-testid="share-link" data-recipient={link.recipientEmail ?? ""}>
              <div className="share-link-text">
                <span id={`${inputId}-label`} className="field-label">
                  {who}
                </span>
                <div className="share-copy-row">
                  <code id={inputId} data-testid="share-link-url" aria-labelledby={`${inputId}-label`}>
                    {link.url}
                  </code>
                  <CopyButton text={link.url} selectId={inputId} testId="share-link-copy" />
                </div>
              </div>
              <QrCode qr={link.qr} label={t("share.qrFor", { who })} testId="share-qr" />
            </li>
          );
        })}
      </ul>
      <p className="toolbar">
        <Link to={`/projects/${encodeURIComponent(created.projectId)}/shares`} className="button-link" data-testid="share-open-shares">
          {t("share.openShares")}
        </Link>
        {onClose ? (
          <button type="button" onClick={onClose}>
            {t("share.close")}
          </button>
        ) : null}
      </p>
    </section>
  );
}
