import type { ReactNode } from "react";
import type { ReviewSlot } from "~/components/player/video-player";
import type { MarkerTick } from "~/components/player/timeline";
import type { Marker } from "~/schemas/review";
import type { AudioReview } from "~/components/player/audio-player";
import { audioMarkerRate } from "~/media/timecode";
import { MarkerPanel, type ReviewRights } from "./marker-panel";
import { MARKER_HEX, ShapeLayer } from "./shape-layer";
import { shapesOnFrame, type ReviewSession } from "./use-review";

/**
 * The review tools in the player's slot: the markers' shapes over the picture (drawing on a
 * paused frame when the caller may add markers), anything else over the picture (a guest's
 * watermark), and the marker panel under the transport.
 */
export function reviewSlot(review: ReviewSession, rights: ReviewRights, over: ReactNode = null): ReviewSlot {
  return (player, video) => ({
    overlay: (
      <>
        <ShapeLayer
          video={video}
          shown={shapesOnFrame(review.markers, player.frame, review.draft)}
          tool={player.paused && rights.edit ? review.tool : null}
          drawColor={MARKER_HEX[review.color] ?? MARKER_HEX.yellow!}
          onShape={review.addShape}
        />
        {over}
      </>
    ),
    panel: <MarkerPanel session={review} player={player} rights={rights} />,
    ticks: markerTicks(review.markers, player.timecodeOf),
  });
}

/** The markers as ticks on a timeline (unresolved ones; a resolved marker is done with). */
export function markerTicks(markers: readonly Marker[], timecodeOf: (frame: number) => string): MarkerTick[] {
  return markers
    .filter((m) => !m.resolved)
    .map((m) => ({
      id: m.id,
      start: m.startFrame,
      end: m.endFrame,
      color: MARKER_HEX[m.color] ?? MARKER_HEX.yellow!,
      label: `${timecodeOf(m.startFrame)} ${m.text.slice(0, 80)}`,
    }));
}

/** The review tools of an audio file: the marker panel (no drawing: there is no picture) and ticks on the waveform. */
export function audioReview(review: ReviewSession, rights: ReviewRights, technical: Record<string, unknown>): AudioReview {
  return {
    rate: audioMarkerRate(technical.frameRate),
    startTimecode: typeof technical.startTimecode === "string" ? technical.startTimecode : null,
    slot: (player) => ({
      panel: <MarkerPanel session={review} player={player} rights={rights} drawing={false} />,
      ticks: markerTicks(review.markers, player.timecodeOf),
    }),
  };
}
