import Timecode from "smpte-timecode";

/**
 * SMPTE timecode for display and typed entry (issue #13, ADR 0030). Frames are what Kura stores and
 * exchanges: integers counted from the first frame, with the asset's rational frame rate. A
 * timecode is only ever derived from them (for the player's display, exports), or parsed back into
 * them (a typed "go to"); the drop-frame arithmetic is smpte-timecode's, checked by our vectors.
 */

/** A frame rate as the container states it: 30000/1001, 24000/1001, 25/1… */
export type FrameRate = { num: number; den: number };

/** Drop-frame counting exists only for the NTSC rates 29.97 and 59.94. */
export function supportsDropFrame(rate: FrameRate): boolean {
  return rate.den === 1001 && (rate.num === 30000 || rate.num === 60000);
}

/** The nominal (counted) frames per second: 30 for 29.97, 24 for 23.976. */
export function nominalFps(rate: FrameRate): number {
  return Math.round(rate.num / rate.den);
}

/** Drop frame when asked (by default where the rate has it), never where the rate has none. */
function countsDropFrame(rate: FrameRate, asked: boolean | undefined): boolean {
  return (asked ?? true) && supportsDropFrame(rate);
}

/** Timecodes wrap at 24 hours, as a deck's do. */
function framesPerDay(rate: FrameRate, dropFrame: boolean): number {
  const nominal = nominalFps(rate);
  if (!dropFrame) return nominal * 86_400;
  // Drop frame skips 2 (or 4 at 59.94) labels a minute except every tenth minute.
  const dropped = (nominal / 15) * (1440 - 144);
  return nominal * 86_400 - dropped;
}

/**
 * The timecode of `frame` (0 = the first frame), starting from `start` (the asset's own start
 * timecode as a frame count, 0 when it has none). Drop frame only where the rate has it.
 */
export function frameToTimecode(frame: number, rate: FrameRate, options: { dropFrame?: boolean; start?: number } = {}): string {
  if (!Number.isInteger(frame) || frame < 0) throw new RangeError(`frame must be a non-negative integer, not ${frame}`);
  const dropFrame = countsDropFrame(rate, options.dropFrame);
  const total = (frame + (options.start ?? 0)) % framesPerDay(rate, dropFrame);
  return Timecode(total, [rate.num, rate.den], dropFrame).toString();
}

/**
 * The frame a typed timecode names (relative to `start`), or null when it is not a timecode of
 * this rate: malformed, a frame number the rate does not have, or a label drop frame skips
 * (00:01:00;00 at 29.97). `;` or `:` are accepted either way; the rate decides the counting.
 */
export function timecodeToFrame(text: string, rate: FrameRate, options: { dropFrame?: boolean; start?: number } = {}): number | null {
  const dropFrame = countsDropFrame(rate, options.dropFrame);
  const normalised = text.trim().replace(/[;.,]/g, ":");
  if (!/^\d{2}:\d{2}:\d{2}:\d{2,3}$/.test(normalised)) return null;
  let counted: number;
  try {
    counted = Timecode(normalised, [rate.num, rate.den], dropFrame).frameCount;
  } catch {
    return null;
  }
  const day = framesPerDay(rate, dropFrame);
  return (((counted - (options.start ?? 0)) % day) + day) % day;
}

/**
 * The rational rate a decimal frame rate stands for: the NTSC rates (23.976, 29.97, 47.952, 59.94,
 * 119.88) as n×1000/1001, whole rates as n/1, anything else to the millisecond. Null for nonsense.
 */
export function rateFromFps(fps: number): FrameRate | null {
  if (!Number.isFinite(fps) || fps <= 0 || fps > 1000) return null;
  const ntsc = Math.round((fps * 1001) / 1000);
  if (Math.abs((ntsc * 1000) / 1001 - fps) < 0.005 && Math.abs(ntsc - fps) > 0.005) return { num: ntsc * 1000, den: 1001 };
  if (Math.abs(fps - Math.round(fps)) < 0.0005) return { num: Math.round(fps), den: 1 };
  return { num: Math.round(fps * 1000), den: 1000 };
}

/**
 * A clip's timecode: from its start timecode and rate, drop frame where the start timecode says
 * so (`;`), or by default where the rate has it. Shared by the player and the marker exports.
 */
export function clipTimecode(rate: FrameRate, startTimecode: string | null) {
  const dropFrame = supportsDropFrame(rate) && (startTimecode === null || startTimecode.includes(";"));
  const start = startTimecode ? (timecodeToFrame(startTimecode, rate, { dropFrame }) ?? 0) : 0;
  return {
    dropFrame,
    start,
    of: (frame: number) => frameToTimecode(Math.max(0, frame), rate, { dropFrame, start }),
    parse: (text: string) => timecodeToFrame(text, rate, { dropFrame, start }),
    format: dropFrame ? "HH:MM:SS;FF" : "HH:MM:SS:FF",
  };
}

/**
 * The rate markers on an audio file count at: the file's own frame rate when it has one (a
 * broadcast WAV's timecode rate), else 30 fps. Shared by the server (markers.server.ts) and the
 * audio player, so both count the same frames.
 */
export const AUDIO_MARKER_RATE: FrameRate = { num: 30, den: 1 };
export function audioMarkerRate(frameRate: unknown): FrameRate {
  return (typeof frameRate === "number" ? rateFromFps(frameRate) : null) ?? AUDIO_MARKER_RATE;
}
