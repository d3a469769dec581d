import { useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { useT } from "~/i18n/use-t";
import { clipTimecode, type FrameRate } from "~/media/timecode";
import { usePresentedFrame } from "./frame-clock";
import { usePlayerControls } from "./controls";
import { actionOf, type PlayerAction } from "./keys";
import { GoToTimecode } from "./go-to-timecode";
import { ShortcutHelp } from "./shortcuts";
import { Timeline, type MarkerTick } from "./timeline";
import { Icon } from "./icons";
import type { MediaState } from "~/schemas/media";
import { webApi } from "~/components/assets/urls";
import type { PlayerBridge } from "../review/marker-panel";

const SPEEDS = [0.25, 0.5, 1, 1.5, 2] as const;

const FIRST_FRAME_MARK = "kura:player-first-frame";
/** Runs as the server's HTML is parsed (CSP nonce), so the first decoded frame is timed exactly. */
const FIRST_FRAME_SCRIPT = `(function(s){var v=s&&s.parentElement.querySelector("video");if(!v)return;var m=function(){if(!performance.getEntriesByName("${FIRST_FRAME_MARK}").length)performance.mark("${FIRST_FRAME_MARK}")};v.readyState>=2?m():v.addEventListener("loadeddata",m,{once:true})})(document.currentScript)`;

export type VideoSource = {
  src: string;
  poster: string | null;
  rate: FrameRate;
  frames: number;
  /** The asset's start timecode ("01:00:00;00"): `;` means drop frame. */
  startTimecode: string | null;
  filmstrip: MediaState["filmstrip"];
  filmstripUrl: string | null;
  hasAudio: boolean;
};

/** The player's source from a media state (its URLs as the API gives them: the team's or a share guest's). */
export function videoSourceOf(media: Pick<MediaState, "proxy" | "poster" | "filmstrip">, technical: Record<string, unknown>): VideoSource | null {
  const proxy = media.proxy;
  if (!proxy || !proxy.contentType.startsWith("video/") || !proxy.rate || !proxy.frames) return null;
  return {
    src: webApi.mirrored(proxy.url),
    poster: media.poster ? webApi.mirrored(media.poster.url) : null,
    rate: proxy.rate,
    frames: proxy.frames,
    startTimecode: typeof technical.startTimecode === "string" ? technical.startTimecode : null,
    filmstrip: media.filmstrip,
    filmstripUrl: media.filmstrip ? webApi.mirrored(media.filmstrip.url) : null,
    hasAudio: proxy.hasAudio,
  };
}

/** Timecode of the clip: from its start timecode and rate (app/media/timecode.ts clipTimecode). */
function useTimecode(rate: FrameRate, startTimecode: string | null) {
  return useMemo(() => clipTimecode(rate, startTimecode), [rate, startTimecode]);
}

/**
 * The editor's player (issue #13): frame-exact display and stepping, J/K/L shuttle, in/out and
 * loop, typed timecode, filmstrip scrubbing, speed, volume, full screen, previous/next file, and
 * every control on the keyboard (the `?` overlay lists them).
 */
/** Review tools on the player (issue #14): a layer over the picture and a panel after the transport. */
export type ReviewSlot = (player: PlayerBridge, video: HTMLVideoElement | null) => { overlay: ReactNode; panel: ReactNode; ticks?: readonly MarkerTick[] };

export function VideoPlayer({
  source,
  previousHref,
  nextHref,
  review,
}: {
  source: VideoSource;
  previousHref: string | null;
  nextHref: string | null;
  review?: ReviewSlot;
}) {
  const t = useT();
  const navigate = useNavigate();
  const nonce = useNonce();
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const shell = useRef<HTMLDivElement>(null);
  const gotoInput = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  const [muted, setMuted] = useState(false);
  const [volume, setVolume] = useState(1);
  const [speed, setSpeed] = useState(1);
  // Time to first frame, for real-user monitoring and bench/media: marked by the inline script
  // beside the <video> on a first page load (before the page's scripts have loaded), else here
  // (a page reached by client-side navigation, where no inline script runs).
  useEffect(() => {
    if (!video) return;
    const mark = () => {
      if (performance.getEntriesByName(FIRST_FRAME_MARK).length === 0) performance.mark(FIRST_FRAME_MARK);
    };
    if (video.readyState >= 2) mark();
    else video.addEventListener("loadeddata", mark, { once: true });
    return () => {
      video.removeEventListener("loadeddata", mark);
      performance.clearMarks(FIRST_FRAME_MARK);
    };
  }, [video]);
  const frame = usePresentedFrame(video, source.rate);
  const c = usePlayerControls(video, source.rate, source.frames, frame);
  const tc = useTimecode(source.rate, source.startTimecode);
  const second = Math.round(source.rate.num / source.rate.den);

  const run = useCallback(
    (action: PlayerAction) => {
      const moves: Partial<Record<PlayerAction, () => void>> = {
        playPause: c.togglePlay,
        shuttleBack: () => c.shuttleBy(-1),
        stop: c.pause,
        shuttleForward: () => c.shuttleBy(1),
        frameBack: () => c.step(-1),
        frameForward: () => c.step(1),
        tenBack: () => c.step(-10),
        tenForward: () => c.step(10),
        secondBack: () => c.step(-second),
        secondForward: () => c.step(second),
        markIn: c.markIn,
        markOut: c.markOut,
        goToIn: () => c.marks.in !== null && c.step(c.marks.in - c.frame),
        goToOut: () => c.marks.out !== null && c.step(c.marks.out - c.frame),
        clearMarks: c.clearMarks,
        loop: c.toggleLoop,
        goTo: () => gotoInput.current?.focus(),
        start: () => c.step(-c.frame),
        end: () => c.step(c.last - c.frame),
        fullscreen: () => void (document.fullscreenElement ? document.exitFullscreen() : shell.current?.requestFullscreen()),
        mute: () => setMuted((m) => !m),
        previousAsset: () => previousHref && navigate(previousHref),
        nextAsset: () => nextHref && navigate(nextHref),
        help: () => setHelp((h) => !h),
      };
      moves[action]?.();
    },
    [c, second, previousHref, nextHref, navigate],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (help) return;
      const action = actionOf(event);
      if (!action) return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [run, help]);

  useEffect(() => {
    if (!video) return;
    video.muted = muted;
    video.volume = volume;
  }, [video, muted, volume]);

  useEffect(() => {
    if (video && c.shuttle >= 0) video.playbackRate = c.shuttle > 1 ? c.shuttle : speed;
  }, [video, speed, c.shuttle]);

  const reviewParts = review?.(
    {
      frame,
      marks: c.marks,
      paused: !c.playing,
      seek: (n) => {
        c.pause();
        c.seekFrame(n);
      },
      timecodeOf: tc.of,
    },
    video,
  );

  const button = (action: PlayerAction, label: string, text: ReactNode, testid?: string, pressed?: boolean) => (
    <button type="button" onClick={() => run(action)} aria-label={label} title={label} data-testid={testid} aria-pressed={pressed}>
      {text}
    </button>
  );

  return (
    <>
      <div className="editor-player" ref={shell} data-testid="editor-player" data-frame={frame} data-shuttle={c.shuttle}>
        <div className="player-screen">
          <video
            ref={setVideo}
            src={source.src}
            poster={source.poster ?? undefined}
            preload="auto"
            playsInline
            onClick={c.togglePlay}
            data-testid="player-video"
          >
            <track kind="captions" />
          </video>
          <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: FIRST_FRAME_SCRIPT }} />
          {reviewParts?.overlay}
        </div>
        <Timeline
          frame={frame}
          last={c.last}
          marks={c.marks}
          filmstrip={source.filmstrip}
          filmstripUrl={source.filmstripUrl}
          timecodeOf={tc.of}
          ticks={reviewParts?.ticks}
          onSeek={(n) => {
            c.pause();
            c.seekFrame(n);
          }}
        />
        <div className="player-readout">
          <output className="timecode big" aria-label={t("player.timecode")} data-testid="player-timecode" aria-live="off">
            {tc.of(frame)}
          </output>
          <span className="muted small" data-testid="player-frame">
            {t("player.frame", { frame: frame, frames: source.frames })}
          </span>
          {c.marks.in !== null ? (
            <span className="small">
              {t("player.in")} <span className="timecode">{tc.of(c.marks.in)}</span>
            </span>
          ) : null}
          {c.marks.out !== null ? (
            <span className="small">
              {t("player.out")} <span className="timecode">{tc.of(c.marks.out)}</span>
            </span>
          ) : null}
          {c.shuttle !== 0 && c.shuttle !== 1 ? <span className="small">{t("player.shuttle", { speed: c.shuttle })}</span> : null}
        </div>
        <div className="player-transport" role="toolbar" aria-label={t("asset.player")}>
          {button("secondBack", t("player.secondBack"), "−1s")}
          {button("tenBack", t("player.tenBack"), "−10f", "player-back10")}
          {button("frameBack", t("player.frameBack"), "−1f", "player-back1")}
          {button("playPause", c.playing ? t("player.pause") : t("player.play"), c.playing ? "❚❚" : "▶", "player-play")}
          {button("frameForward", t("player.frameForward"), "+1f", "player-forward1")}
          {button("tenForward", t("player.tenForward"), "+10f", "player-forward10")}
          {button("secondForward", t("player.secondForward"), "+1s")}
          <span className="transport-gap" />
          {button("markIn", t("player.markIn"), "I", "player-in")}
          {button("markOut", t("player.markOut"), "O", "player-out")}
          {button("loop", t("player.loop"), "⟲", "player-loop", c.loop)}
          {button("clearMarks", t("player.clearMarks"), "✕")}
          <span className="transport-gap" />
          <label className="player-speed">
            <span className="visually-hidden">{t("player.speed")}</span>
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label={t("player.speed")}>
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          {source.hasAudio ? (
            <>
              {button("mute", muted ? t("player.unmute") : t("player.mute"), <Icon name={muted ? "muted" : "speaker"} />, "player-mute", muted)}
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={volume}
                onChange={(e) => setVolume(Number(e.target.value))}
                aria-label={t("player.volume")}
                className="player-volume"
              />
            </>
          ) : null}
          {button("fullscreen", t("player.fullscreen"), <Icon name="fullscreen" />)}
          {button("help", t("player.shortcuts"), "?", "player-help-button")}
          <span className="transport-gap" />
          {previousHref ? button("previousAsset", t("player.previousAsset"), <Icon name="previous" />, "player-previous") : null}
          {nextHref ? button("nextAsset", t("player.nextAsset"), <Icon name="next" />, "player-next") : null}
        </div>
        <GoToTimecode
          inputRef={gotoInput}
          format={tc.format}
          lastTimecode={tc.of(c.last)}
          resolve={(text) => {
            const n = tc.parse(text);
            return n === null ? "bad" : n > c.last ? "beyond" : n;
          }}
          onGo={(n) => {
            c.pause();
            c.seekFrame(n);
          }}
        />
        <ShortcutHelp open={help} onClose={() => setHelp(false)} />
      </div>
      {reviewParts?.panel}
    </>
  );
}
