import { Thumb } from "~/components/assets/bits";
import { playbackKind, webApi } from "~/components/assets/urls";
import { useT } from "~/i18n/use-t";
import type { AssetPageData } from "./types";

/** The original played inline when the browser can and the user may download it; else the thumbnail. */
export function Player({ data }: { data: AssetPageData }) {
  const t = useT();
  const { asset } = data;
  const kind = playbackKind(asset.contentType, asset.technical.videoCodec);
  const playable = data.can.download && kind !== null && asset.status !== "failed";
  const poster = asset.hasThumbnail ? webApi.thumbnail(asset.id) : undefined;
  return (
    <section aria-label={t("asset.player")} data-testid="player">
      <div className="player">
        {playable && kind === "video" ? (
          <video controls preload="metadata" poster={poster} src={webApi.original(asset.id, "inline")} data-testid="player-video">
            <track kind="captions" />
          </video>
        ) : playable && kind === "audio" ? (
          <audio controls preload="metadata" src={webApi.original(asset.id, "inline")} data-testid="player-audio" />
        ) : playable && kind === "image" ? (
          <img src={webApi.original(asset.id, "inline")} alt={asset.name} data-testid="player-image" />
        ) : (
          <Thumb id={asset.id} kind={asset.kind} hasThumbnail={asset.hasThumbnail} />
        )}
      </div>
      {!playable && asset.kind !== "other" ? (
        <p className="muted small" data-testid="player-notice">
          {!data.can.download ? t("asset.needsDownload") : kind === null ? t("asset.notPlayable") : t("asset.noPreview")}
        </p>
      ) : null}
    </section>
  );
}
