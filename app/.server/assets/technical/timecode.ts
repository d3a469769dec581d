/**
 * SMPTE timecode from a frame count, as stored in a QuickTime `tmcd` track.
 *
 * `fps` is the nominal integer frame rate (the tmcd "number of frames", 30 for
 * 29.97). Drop-frame skips frame numbers 0 and 1 (0–3 at 59.94) at the start
 * of every minute except minutes 0, 10, 20, …, so that the timecode keeps up
 * with the clock. 01:00:00;00 at 29.97 DF is frame 107892.
 */
export function framesToTimecode(frame: number, fps: number, dropFrame: boolean, wrap24h = true): string {
  if (!Number.isFinite(frame) || !(fps > 0)) throw new RangeError("invalid frame count or rate");
  let n = Math.trunc(frame);
  if (wrap24h) {
    const perDay = dropFrame ? dropFramesPerDay(fps) : fps * 86400;
    n = ((n % perDay) + perDay) % perDay;
  }
  const negative = n < 0;
  n = Math.abs(n);
  let sep = ":";
  if (dropFrame && fps % 30 === 0) {
    sep = ";";
    const drop = fps / 15; // 2 at 30, 4 at 60
    const perMinute = fps * 60 - drop;
    const perTenMinutes = fps * 600 - drop * 9;
    const tens = Math.floor(n / perTenMinutes);
    const rest = n % perTenMinutes;
    n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const ff = n % fps;
  const totalSeconds = Math.floor(n / fps);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  const two = (v: number) => String(v).padStart(2, "0");
  return `${negative ? "-" : ""}${two(hh)}:${two(mm)}:${two(ss)}${sep}${two(ff)}`;
}

function dropFramesPerDay(fps: number): number {
  if (fps % 30 !== 0) return fps * 86400;
  return (fps * 600 - (fps / 15) * 9) * 6 * 24;
}

/**
 * Timecode of a time since midnight at a real frame rate (29.97, 25, 59.94…):
 * whole frames elapsed, labelled at the nominal rate (30 for 29.97), as a
 * recorder does for a Broadcast WAV time reference.
 */
export function secondsToTimecode(seconds: number, rate: number, dropFrame: boolean): string {
  if (!(seconds >= 0) || !(rate > 0)) throw new RangeError("invalid time or rate");
  const nominal = Math.round(rate);
  // A tiny epsilon keeps exact frame boundaries (1/30 s sums) from rounding down.
  const frame = Math.floor(seconds * rate + 1e-6);
  return framesToTimecode(frame, nominal, dropFrame && nominal % 30 === 0);
}
