import { useEffect, useRef, useState, type PointerEvent } from "react";
import { useT } from "~/i18n/use-t";
import type { MediaState } from "~/schemas/media";

type Filmstrip = NonNullable<MediaState["filmstrip"]>;

export type MarkerTick = { id: string; start: number; end: number | null; color: string; label: string };

/**
 * The timeline: click or drag to seek; hovering shows the filmstrip tile of the frame under the
 * pointer with its timecode. A slider for assistive technology (the keys are the player's).
 */
export function Timeline(props: {
  frame: number;
  last: number;
  marks: { in: number | null; out: number | null };
  filmstrip: Filmstrip | null;
  filmstripUrl: string | null;
  timecodeOf: (frame: number) => string;
  onSeek: (frame: number) => void;
  /** The markers on the timeline (issue #14): a tick, or a span for a range, in the marker's colour. */
  ticks?: readonly MarkerTick[];
}) {
  const t = useT();
  const bar = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ frame: number; x: number } | null>(null);
  // Positions are inline styles, which the CSP allows only when script sets them: so not in the
  // server's HTML, only once the page runs.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const { last, frame, marks, filmstrip } = props;
  const at = (n: number) => `${last === 0 ? 0 : (n / last) * 100}%`;
  const frameAt = (event: PointerEvent) => {
    const box = bar.current!.getBoundingClientRect();
    const x = Math.min(box.width, Math.max(0, event.clientX - box.left));
    return { frame: Math.round((x / Math.max(1, box.width)) * last), x };
  };
  const tile = hover && filmstrip ? Math.min(filmstrip.tiles - 1, Math.floor(hover.frame / filmstrip.step)) : 0;
  return (
    <div
      ref={bar}
      className="timeline"
      role="slider"
      tabIndex={-1}
      aria-label={t("player.timeline")}
      aria-valuemin={0}
      aria-valuemax={last}
      aria-valuenow={frame}
      aria-valuetext={props.timecodeOf(frame)}
      data-testid="player-timeline"
      onPointerDown={(e) => {
        bar.current!.setPointerCapture(e.pointerId);
        props.onSeek(frameAt(e).frame);
      }}
      onPointerMove={(e) => {
        const h = frameAt(e);
        setHover(h);
        if (e.buttons === 1) props.onSeek(h.frame);
      }}
      onPointerLeave={() => setHover(null)}
    >
      {mounted && (marks.in !== null || marks.out !== null) ? (
        <div className="timeline-range" style={{ left: at(marks.in ?? 0), right: `calc(100% - ${at(marks.out ?? last)})` }} data-testid="timeline-range" />
      ) : null}
      {mounted
        ? props.ticks?.map((m) => (
            <span
              key={m.id}
              className={m.end !== null && m.end > m.start ? "timeline-tick range" : "timeline-tick"}
              style={{ left: at(m.start), ...(m.end !== null && m.end > m.start ? { width: `calc(${at(m.end - m.start)} + 2px)` } : {}), background: m.color }}
              title={m.label}
              data-testid="timeline-tick"
              data-frame={m.start}
            />
          ))
        : null}
      {mounted ? (
        <>
          <div className="timeline-played" style={{ width: at(frame) }} />
          <div className="timeline-head" style={{ left: at(frame) }} />
        </>
      ) : null}
      {hover ? (
        <div className="timeline-hover" style={{ left: hover.x }} data-testid="timeline-hover" data-frame={hover.frame}>
          {filmstrip && props.filmstripUrl ? (
            <div
              className="filmstrip-tile"
              data-testid="filmstrip-tile"
              style={{
                width: filmstrip.tileWidth,
                height: filmstrip.tileHeight,
                backgroundImage: `url(${props.filmstripUrl})`,
                backgroundPosition: `-${(tile % filmstrip.columns) * filmstrip.tileWidth}px -${Math.floor(tile / filmstrip.columns) * filmstrip.tileHeight}px`,
              }}
            />
          ) : null}
          <span className="timecode">{props.timecodeOf(hover.frame)}</span>
        </div>
      ) : null}
    </div>
  );
}
