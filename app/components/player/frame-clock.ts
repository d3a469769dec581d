import { useEffect, useState } from "react";
import type { FrameRate } from "~/media/timecode";

/**
 * Frames and media time (ADR 0030). The proxy is constant-rate from time 0, so frame n is shown
 * from n·den/num seconds for one frame duration. A seek aims at the middle of the frame, so the
 * decoder's rounding cannot land on a neighbour; what is on screen is read back from
 * requestVideoFrameCallback, which reports the presented frame's own timestamp.
 */
export const frameToSeekTime = (frame: number, rate: FrameRate) => ((frame + 0.5) * rate.den) / rate.num;
export const timeToFrame = (seconds: number, rate: FrameRate) => Math.round((seconds * rate.num) / rate.den);

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/** The frame on screen: from each presented frame's timestamp, or (without rVFC) from currentTime after seeks and pauses. */
export function usePresentedFrame(video: HTMLVideoElement | null, rate: FrameRate, onFrame?: (frame: number) => void): number {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const v = video as FrameCallbackVideo | null;
    if (!v) return;
    const report = (n: number) => {
      setFrame(n);
      onFrame?.(n);
    };
    if (v.requestVideoFrameCallback && v.cancelVideoFrameCallback) {
      let handle = 0;
      const tick = (_now: number, meta: { mediaTime: number }) => {
        report(timeToFrame(meta.mediaTime, rate));
        handle = v.requestVideoFrameCallback!(tick);
      };
      handle = v.requestVideoFrameCallback(tick);
      return () => v.cancelVideoFrameCallback!(handle);
    }
    // Older browsers: the frame whose interval holds currentTime.
    const update = () => report(Math.floor((v.currentTime * rate.num) / rate.den + 1e-6));
    const events = ["seeked", "pause", "timeupdate", "loadeddata"] as const;
    for (const e of events) v.addEventListener(e, update);
    return () => {
      for (const e of events) v.removeEventListener(e, update);
    };
  }, [video, rate, onFrame]);
  return frame;
}
