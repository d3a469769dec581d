import { useEffect, useRef, useState, type PointerEvent } from "react";
import type { MarkerShape } from "~/schemas/review";
import { MARKER_LIMITS } from "~/schemas/review";
import type { DrawTool } from "./use-review";

/** Marker colours on screen (the names are the API's, app/schemas/review.ts). */
export const MARKER_HEX: Record<string, string> = {
  yellow: "#f5c518",
  red: "#e5484d",
  green: "#30a46c",
  blue: "#3e63dd",
  cyan: "#05a2c2",
  pink: "#d6409f",
  purple: "#8e4ec6",
};

type Shown = { shape: MarkerShape; color: string; key: string };
type Point = [number, number];

/** The part of the <video> box the picture fills (object-fit: contain), in the box's coordinates. */
function pictureRect(video: HTMLVideoElement) {
  const w = video.clientWidth;
  const h = video.clientHeight;
  const vw = video.videoWidth || w;
  const vh = video.videoHeight || h;
  const scale = Math.min(w / vw, h / vh);
  const pw = vw * scale;
  const ph = vh * scale;
  return { left: video.offsetLeft + (w - pw) / 2, top: video.offsetTop + (h - ph) / 2, width: pw, height: ph };
}

const clamp = (n: number) => Math.min(1, Math.max(0, n));
const round = (n: number) => Math.round(n * 10000) / 10000;

/** A shape from a drag (null when it is too small to be meant). */
function shapeFrom(tool: DrawTool, from: Point, to: Point, stroke: Point[]): MarkerShape | null {
  if (tool === "freehand") return stroke.length >= 2 ? { type: "freehand", points: stroke.map(([x, y]) => [round(x), round(y)] as Point) } : null;
  if (Math.hypot(to[0] - from[0], to[1] - from[1]) < 0.01) return null;
  if (tool === "arrow") return { type: "arrow", from: [round(from[0]), round(from[1])], to: [round(to[0]), round(to[1])] };
  const x = round(Math.min(from[0], to[0]));
  const y = round(Math.min(from[1], to[1]));
  const w = Math.min(round(Math.abs(to[0] - from[0])), 1 - x);
  const h = Math.min(round(Math.abs(to[1] - from[1])), 1 - y);
  return { type: tool, x, y, w, h };
}

/** One shape in the layer's 0..1 coordinates; `aspect` (width / height) keeps arrowheads undistorted. */
function ShapeSvg({ shape, color, aspect }: { shape: MarkerShape; color: string; aspect: number }) {
  const common = {
    stroke: color,
    strokeWidth: 3,
    fill: "none",
    vectorEffect: "non-scaling-stroke" as const,
    "data-testid": "marker-shape",
    "data-type": shape.type,
  };
  switch (shape.type) {
    case "rect":
      return <rect x={shape.x} y={shape.y} width={shape.w} height={shape.h} {...common} />;
    case "ellipse":
      return <ellipse cx={shape.x + shape.w / 2} cy={shape.y + shape.h / 2} rx={shape.w / 2} ry={shape.h / 2} {...common} />;
    case "freehand":
      return <polyline points={shape.points.map(([x, y]) => `${x},${y}`).join(" ")} strokeLinejoin="round" strokeLinecap="round" {...common} />;
    case "arrow": {
      const [x1, y1] = shape.from;
      const [x2, y2] = shape.to;
      const angle = Math.atan2(y2 - y1, (x2 - x1) * aspect);
      const head = 0.04;
      const wing = (side: number) => `${x2 - (head * Math.cos(angle + side)) / aspect},${y2 - head * Math.sin(angle + side)}`;
      return (
        <g {...common}>
          <line x1={x1} y1={y1} x2={x2} y2={y2} stroke={color} strokeWidth={3} vectorEffect="non-scaling-stroke" />
          <polyline points={`${wing(0.45)} ${x2},${y2} ${wing(-0.45)}`} stroke={color} strokeWidth={3} fill="none" vectorEffect="non-scaling-stroke" />
        </g>
      );
    }
  }
}

/**
 * Shapes over the picture, in coordinates normalised to it, so they land on the same place at any
 * size. With a tool chosen (and the video paused) a drag draws a shape.
 */
export function ShapeLayer(props: {
  video: HTMLVideoElement | null;
  shown: Shown[];
  tool: DrawTool | null;
  drawColor: string;
  onShape: (shape: MarkerShape) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [aspect, setAspect] = useState(16 / 9);
  const [drag, setDrag] = useState<{ from: Point; to: Point; stroke: Point[] } | null>(null);
  const { video } = props;

  // Follows the picture's place in the player (styles are set after mount: the CSP refuses style attributes).
  useEffect(() => {
    if (!video || !svg.current) return;
    const place = () => {
      const r = pictureRect(video);
      const s = svg.current!.style;
      s.left = `${r.left}px`;
      s.top = `${r.top}px`;
      s.width = `${r.width}px`;
      s.height = `${r.height}px`;
      if (r.height > 0) setAspect(r.width / r.height);
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(video);
    video.addEventListener("loadedmetadata", place);
    return () => {
      observer.disconnect();
      video.removeEventListener("loadedmetadata", place);
    };
  }, [video]);

  // The form is under the player: choosing a tool brings the picture into view to draw on.
  const drawing = props.tool !== null;
  useEffect(() => {
    if (drawing) svg.current?.scrollIntoView({ block: "nearest" });
  }, [drawing]);

  const at = (event: PointerEvent<SVGSVGElement>): Point => {
    const r = svg.current!.getBoundingClientRect();
    return [clamp((event.clientX - r.left) / r.width), clamp((event.clientY - r.top) / r.height)];
  };

  const preview = drag && props.tool ? shapeFrom(props.tool, drag.from, drag.to, drag.stroke) : null;
  return (
    <svg
      ref={svg}
      className={`marker-layer${drawing ? " drawing" : ""}`}
      viewBox="0 0 1 1"
      preserveAspectRatio="none"
      data-testid="marker-layer"
      aria-hidden={!drawing}
      onPointerDown={(event) => {
        if (!drawing) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        const p = at(event);
        setDrag({ from: p, to: p, stroke: [p] });
      }}
      onPointerMove={(event) => {
        if (!drag) return;
        const p = at(event);
        const last = drag.stroke[drag.stroke.length - 1]!;
        const stroke =
          Math.hypot(p[0] - last[0], p[1] - last[1]) > 0.004 && drag.stroke.length < MARKER_LIMITS.pointsPerStroke ? [...drag.stroke, p] : drag.stroke;
        setDrag({ ...drag, to: p, stroke });
      }}
      onPointerUp={() => {
        if (preview) props.onShape(preview);
        setDrag(null);
      }}
      onPointerCancel={() => setDrag(null)}
    >
      {props.shown.map((s) => (
        <ShapeSvg key={s.key} shape={s.shape} color={s.color} aspect={aspect} />
      ))}
      {preview ? <ShapeSvg shape={preview} color={props.drawColor} aspect={aspect} /> : null}
    </svg>
  );
}
