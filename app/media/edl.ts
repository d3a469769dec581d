import { clipTimecode, type FrameRate } from "./timecode";

/**
 * Markers as a CMX 3600 EDL in the form DaVinci Resolve imports as timeline markers ("Import >
 * Timeline Markers from EDL"): one cut event per marker whose source and record in/out are the
 * marker's timecodes (the out is exclusive, as in every CMX event), followed by the comment line
 * `|C:ResolveColor<Colour> |M:<text> |D:<duration in frames>`. The clip's start timecode is the
 * timeline position, so a marker lands on the same frame of the clip in the NLE. Drop frame is
 * stated by `FCM:` and by `;` in each timecode.
 */

export type EdlMarker = { startFrame: number; endFrame: number | null; text: string; color: string };

const RESOLVE_COLORS: Record<string, string> = {
  yellow: "Yellow",
  red: "Red",
  green: "Green",
  blue: "Blue",
  cyan: "Cyan",
  pink: "Pink",
  purple: "Purple",
};

/** One line, without the field separator `|` and without control characters. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

function commentText(text: string): string {
  return text.replace(CONTROLS, " ").replace(/\|/g, "/").replace(/\s+/g, " ").trim();
}

/** An EDL title is one line of at most 70 characters. */
function titleText(title: string): string {
  return commentText(title).slice(0, 70) || "Kura markers";
}

export function markersToEdl(options: { title: string; rate: FrameRate; startTimecode: string | null; markers: readonly EdlMarker[] }): string {
  const clock = clipTimecode(options.rate, options.startTimecode);
  const lines = [`TITLE: ${titleText(options.title)}`, `FCM: ${clock.dropFrame ? "DROP FRAME" : "NON-DROP FRAME"}`, ""];
  options.markers.forEach((marker, index) => {
    const last = marker.endFrame ?? marker.startFrame;
    const duration = last - marker.startFrame + 1;
    const tcIn = clock.of(marker.startFrame);
    const tcOut = clock.of(last + 1);
    const number = String(index + 1).padStart(3, "0");
    lines.push(`${number}  001      V     C        ${tcIn} ${tcOut} ${tcIn} ${tcOut}  `);
    lines.push(` |C:ResolveColor${RESOLVE_COLORS[marker.color] ?? "Yellow"} |M:${commentText(marker.text)} |D:${duration}`);
    lines.push("");
  });
  return lines.join("\r\n");
}
