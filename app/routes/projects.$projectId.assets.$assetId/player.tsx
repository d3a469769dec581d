import { Thumb } from "~/components/assets/bits";
import { pages, playbackKind, webApi } from "~/components/assets/urls";
import type { AssetPageData } from "./types";
import { AudioPlayer, audioSourceOf } from "~/components/player/audio-player";
import { MediaStatus } from "~/components/player/media-status";
import { PlayerSection } from "~/components/player/player-section";
import { VideoPlayer, videoSourceOf } from "~/components/player/video-player";
import { audioReview, reviewSlot } from "~/components/review/review-slot";
import { useReview } from "~/components/review/use-review";

/**
 * The asset page's preview (ADR 0030): the transcoder's proxy in the editor's player (asset.view
 * is enough; the original is never streamed to it), the waveform for audio, the display preview
 * for stills. Until those exist: the original inline where the browser plays it and the user may
 * download it, else the thumbnail; and the job's state.
 */
export function Player({ data }: { data: AssetPageData }) {
  const { asset, media, neighbours, project } = data;
  const review = useReview(asset.id, data.markers);
  const href = (id: string | null) => (id ? pages.asset(project.id, id) : null);
  const status = <MediaStatus assetId={asset.id} media={media} canRetry={data.can.retryMedia} />;
  const source = videoSourceOf(media, asset.technical);
  if (source) {
    return (
      <PlayerSection>
        <VideoPlayer
          key={asset.id}
          source={source}
          previousHref={href(neighbours.previous)}
          nextHref={href(neighbours.next)}
          review={reviewSlot(review, data.review)}
        />
        {status}
      </PlayerSection>
    );
  }
  const audio = audioSourceOf(media);
  if (audio) {
    return (
      <PlayerSection>
        <AudioPlayer key={asset.id} src={audio.src} waveformUrl={audio.waveformUrl} review={audioReview(review, data.review, asset.technical)} />
        {status}
      </PlayerSection>
    );
  }
  if (media.preview) {
    return (
      <PlayerSection>
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
      </PlayerSection>
    );
  }
  const kind = playbackKind(asset.contentType, asset.technical.videoCodec);
  const playable = data.can.download && kind !== null && asset.status !== "failed";
  const poster = asset.hasThumbnail ? webApi.thumbnail(asset.id) : undefined;
  return (
    <PlayerSection>
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
    </PlayerSection>
  );
}
