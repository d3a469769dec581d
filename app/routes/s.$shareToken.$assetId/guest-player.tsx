import { Thumb } from "~/components/assets/bits";
import { webApi } from "~/components/assets/urls";
import { AudioPlayer, audioSourceOf } from "~/components/player/audio-player";
import { PlayerSection } from "~/components/player/player-section";
import { VideoPlayer, videoSourceOf } from "~/components/player/video-player";
import { audioReview, reviewSlot } from "~/components/review/review-slot";
import { guestMarkerUrls, useReview } from "~/components/review/use-review";
import { guestApi } from "~/components/guest/urls";
import { useT } from "~/i18n/use-t";
import type { MediaState } from "~/schemas/media";
import type { Marker } from "~/schemas/review";
import { Watermark } from "./watermark";

type Asset = { id: string; name: string; kind: string; hasThumbnail: boolean; technical: Record<string, unknown> };

/**
 * The guest's player: the same frame-exact player and marker panel as the team's, on the guest
 * API's paths; adding and replying only when the share takes comments; no resolving, deleting or
 * exports. The original is never played here (a guest may not be allowed to download it).
 */
export function GuestPlayer({
  token,
  asset,
  media,
  markers,
  canComment,
  watermark,
}: {
  token: string;
  asset: Asset;
  media: MediaState;
  markers: Marker[];
  canComment: boolean;
  watermark: { name: string; at: string } | null;
}) {
  const t = useT();
  const review = useReview(asset.id, markers, guestMarkerUrls(token, asset.id));
  const rights = { edit: canComment, moderate: false, userId: "" };
  const mark = watermark ? <Watermark name={watermark.name} at={watermark.at} /> : null;
  const source = videoSourceOf(media, asset.technical);
  if (source) {
    return (
      <PlayerSection>
        <VideoPlayer key={asset.id} source={source} previousHref={null} nextHref={null} review={reviewSlot(review, rights, mark)} />
      </PlayerSection>
    );
  }
  const audio = audioSourceOf(media);
  if (audio) {
    return (
      <PlayerSection>
        <AudioPlayer key={asset.id} src={audio.src} waveformUrl={audio.waveformUrl} review={audioReview(review, rights, asset.technical)} />
      </PlayerSection>
    );
  }
  return (
    <PlayerSection>
      <div className="player guest-still">
        {media.preview ? (
          <img src={webApi.mirrored(media.preview.url)} alt={asset.name} data-testid="player-image" />
        ) : (
          <Thumb id={asset.id} kind={asset.kind as "video"} hasThumbnail={asset.hasThumbnail} src={guestApi.thumbnail(token, asset.id)} />
        )}
        {mark}
      </div>
      <p className="muted small">
        {media.status === "queued" || media.status === "working" ? t("guest.processing") : media.preview ? null : t("guest.noPreview")}
      </p>
    </PlayerSection>
  );
}
