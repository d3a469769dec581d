import { useCallback, useEffect, useRef, useState } from "react";
import type { FrameRate } from "~/media/timecode";
import { frameToSeekTime } from "./frame-clock";

/** Shuttle speeds: J and L double them up to 8×; K stops. Negative is reverse. */
export const SHUTTLE_STEPS = [1, 2, 4, 8] as const;
/** Reverse shuttle shows this many frames a second (a browser cannot play backwards). */
const REVERSE_TICKS_PER_SECOND = 12;

export type PlayerControls = ReturnType<typeof usePlayerControls>;

/**
 * What the transport does, on the video element: frame-exact seeks, shuttle, in/out and loop.
 * `frame` is the presented frame (frame-clock.ts); every seek aims at a frame's middle.
 */
export function usePlayerControls(video: HTMLVideoElement | null, rate: FrameRate, frames: number, frame: number) {
  const [shuttle, setShuttle] = useState(0);
  const [marks, setMarks] = useState<{ in: number | null; out: number | null }>({ in: null, out: null });
  const [loop, setLoop] = useState(false);
  const [playing, setPlaying] = useState(false);
  const last = Math.max(0, frames - 1);
  const target = useRef<number | null>(null);

  const seekFrame = useCallback(
    (n: number) => {
      if (!video) return;
      const clamped = Math.min(last, Math.max(0, Math.round(n)));
      target.current = clamped;
      video.currentTime = frameToSeekTime(clamped, rate);
    },
    [video, rate, last],
  );

  /** Steps from the frame a step is already heading to, so fast repeats do not lose frames. */
  const step = useCallback(
    (delta: number) => {
      if (!video) return;
      video.pause();
      setShuttle(0);
      const from = target.current !== null && video.seeking ? target.current : frame;
      seekFrame(from + delta);
    },
    [video, frame, seekFrame],
  );

  const pause = useCallback(() => {
    video?.pause();
    setShuttle(0);
  }, [video]);

  const togglePlay = useCallback(() => {
    if (!video) return;
    if (video.paused || shuttle < 0) {
      setShuttle(1);
      video.playbackRate = 1;
      void video.play();
    } else pause();
  }, [video, shuttle, pause]);

  const shuttleBy = useCallback(
    (direction: 1 | -1) => {
      if (!video) return;
      setShuttle((s) => {
        const magnitude = Math.abs(s);
        const same = Math.sign(s) === direction;
        const next = same ? (SHUTTLE_STEPS.find((v) => v > magnitude) ?? magnitude) : 1;
        const speed = next * direction;
        if (speed > 0) {
          video.playbackRate = speed;
          void video.play();
        } else video.pause();
        return speed;
      });
    },
    [video],
  );

  // Reverse shuttle: one seek at a time, each as far back as the speed asks.
  useEffect(() => {
    if (!video || shuttle >= 0) return;
    const perTick = Math.max(1, Math.round((-shuttle * rate.num) / rate.den / REVERSE_TICKS_PER_SECOND));
    const timer = window.setInterval(() => {
      if (video.seeking) return;
      const from = target.current ?? frame;
      if (from <= 0) {
        setShuttle(0);
        return;
      }
      seekFrame(from - perTick);
    }, 1000 / REVERSE_TICKS_PER_SECOND);
    return () => window.clearInterval(timer);
  }, [video, shuttle, rate, frame, seekFrame]);

  useEffect(() => {
    if (!video) return;
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    const onSeeked = () => {
      target.current = null;
    };
    video.addEventListener("play", onPlay);
    video.addEventListener("pause", onPause);
    video.addEventListener("seeked", onSeeked);
    return () => {
      video.removeEventListener("play", onPlay);
      video.removeEventListener("pause", onPause);
      video.removeEventListener("seeked", onSeeked);
    };
  }, [video]);

  // Loop: past the out point (or the end), back to the in point.
  useEffect(() => {
    if (!video || !loop || !playing) return;
    const end = marks.out ?? last;
    if (frame >= end) seekFrame(marks.in ?? 0);
  }, [video, loop, playing, frame, marks, last, seekFrame]);

  return {
    frame,
    last,
    shuttle,
    playing,
    marks,
    loop,
    seekFrame,
    step,
    togglePlay,
    pause,
    shuttleBy,
    markIn: () => setMarks((m) => ({ in: frame, out: m.out !== null && m.out < frame ? null : m.out })),
    markOut: () => setMarks((m) => ({ out: frame, in: m.in !== null && m.in > frame ? null : m.in })),
    clearMarks: () => setMarks({ in: null, out: null }),
    toggleLoop: () => setLoop((l) => !l),
  };
}
