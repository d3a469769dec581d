import { Thumb } from "~/components/assets/bits";
import { pages, playbackKind, webApi } from "~/components/assets/urls";
import { useT } from "~/i18n/use-t";
import type { AssetPageData } from "../types";
import { AudioPlayer } from "./audio-player";
import { MediaStatus } from "./media-status";
import { VideoPlayer } from "./video-player";
import { MarkerPanel } from "../review/marker-panel";
import { MARKER_HEX, ShapeLayer } from "../review/shape-layer";
import { shapesOnFrame, useReview } from "../review/use-review";

/**
 * The asset page's preview (ADR 0030): the transcoder's proxy in the editor's player (asset.view
 * is enough; the original is never streamed to it), the waveform for audio, the display preview
 * for stills. Until those exist: the original inline where the browser plays it and the user may
 * download it, else the thumbnail; and the job's state.
 */
export function Player({ data }: { data: AssetPageData }) {
  const t = useT();
  const { asset, media, neighbours, project } = data;
  const review = useReview(asset.id, data.markers);
  const href = (id: string | null) => (id ? pages.asset(project.id, id) : null);
  const status = <MediaStatus assetId={asset.id} media={media} canRetry={data.can.retryMedia} />;
  const proxy = media.proxy;
  if (proxy && proxy.contentType.startsWith("video/") && proxy.rate && proxy.frames) {
    return (
      <section aria-label={t("asset.player")} data-testid="player">
        <VideoPlayer
          key={asset.id}
          source={{
            src: webApi.mirrored(proxy.url),
            poster: media.poster ? webApi.mirrored(media.poster.url) : null,
            rate: proxy.rate,
            frames: proxy.frames,
            startTimecode: typeof asset.technical.startTimecode === "string" ? asset.technical.startTimecode : null,
            filmstrip: media.filmstrip,
            filmstripUrl: media.filmstrip ? webApi.mirrored(media.filmstrip.url) : null,
            hasAudio: proxy.hasAudio,
          }}
          previousHref={href(neighbours.previous)}
          nextHref={href(neighbours.next)}
          review={(player, video) => ({
            overlay: (
              <ShapeLayer
                video={video}
                shown={shapesOnFrame(review.markers, player.frame, review.draft)}
                tool={player.paused ? review.tool : null}
                drawColor={MARKER_HEX[review.color] ?? MARKER_HEX.yellow!}
                onShape={review.addShape}
              />
            ),
            panel: <MarkerPanel session={review} player={player} rights={data.review} />,
          })}
        />
        {status}
      </section>
    );
  }
  if (proxy && proxy.contentType.startsWith("audio/")) {
    return (
      <section aria-label={t("asset.player")} data-testid="player">
        <AudioPlayer key={asset.id} src={webApi.mirrored(proxy.url)} waveformUrl={media.waveform ? webApi.mirrored(media.waveform.url) : null} />
        {status}
      </section>
    );
  }
  if (media.preview) {
    return (
      <section aria-label={t("asset.player")} data-testid="player">
        <div className="player">
          <img
            src={webApi.mirrored(media.preview.url)}
            alt={asset.name}
            width={media.preview.width ?? undefined}
            height={media.preview.height ?? undefined}
            data-testid="player-image"
          />
        </div>
        {status}
      </section>
    );
  }
  const kind = playbackKind(asset.contentType, asset.technical.videoCodec);
  const playable = data.can.download && kind !== null && asset.status !== "failed";
  const poster = asset.hasThumbnail ? webApi.thumbnail(asset.id) : undefined;
  return (
    <section aria-label={t("asset.player")} data-testid="player">
      <div className="player">
        {playable && kind === "video" ? (
          <video controls preload="metadata" poster={poster} src={webApi.original(asset.id, "inline")} data-testid="player-original">
            <track kind="captions" />
          </video>
        ) : playable && kind === "audio" ? (
          <audio controls preload="metadata" src={webApi.original(asset.id, "inline")} data-testid="player-original" />
        ) : playable && kind === "image" ? (
          <img src={webApi.original(asset.id, "inline")} alt={asset.name} data-testid="player-image" />
        ) : (
          <Thumb id={asset.id} kind={asset.kind} hasThumbnail={asset.hasThumbnail} />
        )}
      </div>
      {status}
    </section>
  );
}
