import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import { AUDIO_MARKER_RATE, clipTimecode, type FrameRate } from "~/media/timecode";
import type { MediaState } from "~/schemas/media";
import { webApi } from "~/components/assets/urls";
import type { PlayerBridge } from "../review/marker-panel";
import type { MarkerTick } from "./timeline";

/** Markers on an audio file (issue #14): its marker rate and start timecode, and the panel under the waveform. */
export type AudioReview = {
  rate: FrameRate;
  startTimecode: string | null;
  slot: (player: PlayerBridge) => { panel: ReactNode; ticks?: readonly MarkerTick[] };
};

type Peaks = { length: number; data: number[] };

/** Draws min/max pairs across the canvas, the played part in the accent colour. */
function draw(canvas: HTMLCanvasElement, peaks: Peaks, played: number) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth * ratio;
  const height = canvas.clientHeight * ratio;
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext("2d");
  if (!g || peaks.length === 0) return;
  const style = getComputedStyle(canvas);
  const mid = height / 2;
  // Scaled to the file's loudest peak (as review tools do), so a quiet recording is still readable.
  let loudest = 8;
  for (const v of peaks.data) loudest = Math.max(loudest, Math.abs(v));
  for (let x = 0; x < width; x++) {
    const from = Math.floor((x / width) * peaks.length);
    const to = Math.max(from + 1, Math.floor(((x + 1) / width) * peaks.length));
    let lo = 0;
    let hi = 0;
    for (let i = from; i < to && i < peaks.length; i++) {
      lo = Math.min(lo, peaks.data[2 * i]!);
      hi = Math.max(hi, peaks.data[2 * i + 1]!);
    }
    g.fillStyle = x / width <= played ? style.getPropertyValue("--wave-played") || "#2563eb" : style.getPropertyValue("--wave") || "#94a3b8";
    g.fillRect(x, mid - (hi / loudest) * mid * 0.95, 1, Math.max(1, ((hi - lo) / loudest) * mid * 0.95));
  }
}

/** An audio file: the AAC proxy, its waveform (click to play from there) and the keyboard basics. */
/** The audio player's source from a media state (its URLs as the API gives them: the team's or a share guest's). */
export function audioSourceOf(media: Pick<MediaState, "proxy" | "waveform">): { src: string; waveformUrl: string | null } | null {
  const proxy = media.proxy;
  if (!proxy || !proxy.contentType.startsWith("audio/")) return null;
  return { src: webApi.mirrored(proxy.url), waveformUrl: media.waveform ? webApi.mirrored(media.waveform.url) : null };
}

export function AudioPlayer({ src, waveformUrl, review }: { src: string; waveformUrl: string | null; review?: AudioReview }) {
  const t = useT();
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [played, setPlayed] = useState(0);
  const [time, setTime] = useState(0);
  const [paused, setPaused] = useState(true);
  const [marks, setMarks] = useState<{ in: number | null; out: number | null }>({ in: null, out: null });
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const rate = review?.rate ?? AUDIO_MARKER_RATE;
  const { num, den } = rate;
  const start = review?.startTimecode ?? null;
  const tc = useMemo(() => clipTimecode({ num, den }, start), [num, den, start]);
  const frame = Math.floor((time * rate.num) / rate.den);

  useEffect(() => {
    if (!waveformUrl) return;
    const abort = new AbortController();
    fetch(waveformUrl, { signal: abort.signal })
      .then((r) => (r.ok ? (r.json() as Promise<Peaks>) : null))
      .then((p) => p && setPeaks(p))
      .catch(() => undefined);
    return () => abort.abort();
  }, [waveformUrl]);

  useEffect(() => {
    if (canvas.current && peaks) draw(canvas.current, peaks, played);
  }, [peaks, played]);

  useEffect(() => {
    const a = audio.current;
    if (!a) return;
    let raf = 0;
    const tick = () => {
      setPlayed(a.duration ? a.currentTime / a.duration : 0);
      setTime(a.currentTime);
      setPaused(a.paused);
      if (!a.paused) raf = requestAnimationFrame(tick);
    };
    const start = () => (raf = requestAnimationFrame(tick));
    a.addEventListener("play", start);
    a.addEventListener("seeked", tick);
    a.addEventListener("pause", tick);
    return () => {
      cancelAnimationFrame(raf);
      a.removeEventListener("play", start);
      a.removeEventListener("seeked", tick);
      a.removeEventListener("pause", tick);
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = audio.current;
      const target = e.target as HTMLElement | null;
      if (!a || e.ctrlKey || e.altKey || e.metaKey || (target && /^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(target.tagName))) return;
      const jump = e.shiftKey ? 10 : 1;
      if (e.key === " " || e.key === "k" || e.key === "K") void (a.paused && e.key === " " ? a.play() : a.pause());
      else if (e.key === "l" || e.key === "L") void a.play();
      else if (e.key === "ArrowLeft" || e.key === "j" || e.key === "J") a.currentTime = Math.max(0, a.currentTime - jump);
      else if (e.key === "ArrowRight") a.currentTime = Math.min(a.duration || 0, a.currentTime + jump);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const bridge: PlayerBridge = {
    frame,
    marks,
    paused,
    seek: (n) => {
      const a = audio.current;
      if (!a) return;
      a.pause();
      // The middle of the frame, so that reading the time back gives the same frame.
      a.currentTime = ((n + 0.5) * rate.den) / rate.num;
    },
    timecodeOf: tc.of,
  };
  const parts = review?.slot(bridge);
  const duration = audio.current?.duration;
  const at = (n: number) => (duration ? `${Math.min(100, ((n * rate.den) / rate.num / duration) * 100)}%` : "0%");
  return (
    <div className="audio-player" data-testid="audio-player" data-frame={frame}>
      <div className="waveform-wrap">
        {mounted && duration
          ? parts?.ticks?.map((m) => (
              <span key={m.id} className="waveform-tick" style={{ left: at(m.start), background: m.color }} title={m.label} data-testid="timeline-tick" />
            ))
          : null}
        <canvas
          ref={canvas}
          className="waveform"
          role="img"
          aria-label={t("player.waveform")}
          data-testid="waveform"
          data-peaks={peaks?.length ?? 0}
          onClick={(e) => {
            const a = audio.current;
            if (!a || !a.duration) return;
            const box = e.currentTarget.getBoundingClientRect();
            a.currentTime = ((e.clientX - box.left) / box.width) * a.duration;
            void a.play();
          }}
        />
      </div>
      <audio ref={audio} controls preload="metadata" src={src} data-testid="player-audio" />
      {review ? (
        <div className="audio-review-bar">
          <span className="timecode" data-testid="audio-timecode">
            {tc.of(frame)}
          </span>
          <button type="button" onClick={() => setMarks((m) => ({ ...m, in: frame }))} data-testid="player-in">
            {t("player.markIn")}
          </button>
          <button type="button" onClick={() => setMarks((m) => ({ ...m, out: frame }))} data-testid="player-out">
            {t("player.markOut")}
          </button>
          {marks.in !== null || marks.out !== null ? (
            <button type="button" onClick={() => setMarks({ in: null, out: null })} data-testid="player-clear-marks">
              {t("player.clearMarks")}
            </button>
          ) : null}
        </div>
      ) : null}
      {parts?.panel}
    </div>
  );
}
