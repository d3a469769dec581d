import type { ReactNode } from "react";
import type { ReviewSlot } from "~/components/player/video-player";
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
  });
}
