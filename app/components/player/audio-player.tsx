import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/use-t";

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
export function AudioPlayer({ src, waveformUrl }: { src: string; waveformUrl: string | null }) {
  const t = useT();
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [played, setPlayed] = useState(0);

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

  return (
    <div className="audio-player" data-testid="audio-player">
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
      <audio ref={audio} controls preload="metadata" src={src} data-testid="player-audio" />
    </div>
  );
}
