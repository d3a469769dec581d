import { Form, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { FormAlert, failureOf, useFormResult } from "~/components/forms";
import { webApi } from "~/components/assets/urls";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import type { MediaState } from "~/schemas/media";

const POLL_MS = 2500;

/**
 * Where the preview stands (queued, working, failed with its reason in the user's language), with
 * an admin's retry. While a job runs it asks every few seconds and reloads the page once it ends.
 */
export function MediaStatus({ assetId, media, canRetry }: { assetId: string; media: MediaState; canRetry: boolean }) {
  const t = useT();
  const revalidator = useRevalidator();
  const failure = failureOf(useFormResult("retry-media"));
  const running = media.status === "queued" || media.status === "working";
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(async () => {
      const res = await fetch(webApi.media(assetId)).catch(() => null);
      const now = res?.ok ? ((await res.json()) as MediaState) : null;
      if (now && (now.status !== media.status || now.stage !== media.stage) && revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, assetId, media.status, media.stage, revalidator]);
  if (media.status === "ready" || media.status === "none") return null;
  return (
    <div
      className={`media-status ${media.status === "failed" ? "alert alert-error" : "alert alert-info"}`}
      data-testid="media-status"
      data-status={media.status}
      role="status"
    >
      <p>
        <strong>{t(`media.status.${media.status}` as MessageKey)}</strong>
        {media.stage ? ` — ${t(`media.stage.${media.stage}` as MessageKey)}` : null}
        {media.attempt > 1 ? <span className="muted small"> ({t("media.attempt", { attempt: media.attempt })})</span> : null}
      </p>
      {media.errorCode ? <p data-testid="media-error">{t(`media.error.${media.errorCode}` as MessageKey)}</p> : null}
      {canRetry && media.status === "failed" ? (
        <Form method="post">
          <FormAlert failure={failure} />
          <input type="hidden" name="intent" value="retry-media" />
          <button type="submit" data-testid="media-retry">
            {t("media.retry")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
