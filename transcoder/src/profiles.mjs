// The ffmpeg command lines of each profile (ADR 0030). Pure: they build arguments from a probe
// summary, so the unit tests check them without running anything.

/** Bumped when an output changes in a way that is worth re-deriving old assets for. */
export const PROFILE_VERSION = 1;

export const DEFAULTS = Object.freeze({
  /** Long side of the video proxy, poster and filmstrip source. */
  maxLongSide: 1920,
  /** Long side of a still's display preview. */
  stillMaxLongSide: 2048,
  /** Long side of the thumbnail (Kura's thumbnail limit is 512 px / 256 KiB). */
  thumbnailLongSide: 512,
  filmstripTiles: 100,
  filmstripColumns: 10,
  filmstripTileWidth: 160,
  /** Waveform peaks: min/max pairs per second of audio, and at most this many pairs. */
  peaksPerSecond: 50,
  maxPeaks: 8000,
  peaksSampleRate: 8000,
});

/**
 * ffmpeg's input arguments. A URL (the signed source URL) is read by ffmpeg's own HTTP client with
 * Range requests while it decodes, reconnecting after a network error; a path is a local file.
 */
export function inputArgs(input) {
  const http = /^https?:\/\//.test(input);
  return [...(http ? ["-reconnect", "1", "-reconnect_on_network_error", "1", "-reconnect_delay_max", "5"] : []), "-i", input];
}

/** A scale filter that fits the long side into `max` px, keeps the aspect and makes both sides even. */
export function fitLongSide(max) {
  const even = (v) => `2*trunc(${v}/2)`;
  return `scale=w='if(gte(iw,ih),${even(`min(${max},iw)`)},-2)':h='if(gte(iw,ih),-2,${even(`min(${max},ih)`)})'`;
}

/** ffmpeg's notation of a rational rate. */
export const rateText = (rate) => `${rate.num}/${rate.den}`;

/** Frames of the source: counted by ffprobe, else estimated from the duration. */
export function sourceFrames(summary) {
  const v = summary.video;
  if (v?.frames) return v.frames;
  if (v?.rate && summary.durationSeconds) return Math.max(1, Math.round((summary.durationSeconds * v.rate.num) / v.rate.den));
  return null;
}

/** Which frames the filmstrip shows: every `step`-th, `tiles` of them, in `columns` × `rows`. */
export function filmstripLayout(frames, options = DEFAULTS) {
  const total = Math.max(1, frames ?? options.filmstripTiles);
  const step = Math.max(1, Math.ceil(total / options.filmstripTiles));
  const tiles = Math.ceil(total / step);
  const columns = Math.min(options.filmstripColumns, tiles);
  return { step, tiles, columns, rows: Math.ceil(tiles / columns) };
}

/** The poster: a frame a tenth of the way in, past slates and fades from black. */
export const posterFrame = (frames) => (frames ? Math.min(frames - 1, Math.floor(frames / 10)) : 0);

/**
 * One decode of the source makes all four video outputs: the H.264/AAC proxy (constant rate at
 * the source's exact rational rate, a keyframe every second, faststart), the poster, the
 * thumbnail and the filmstrip sprite.
 */
export function videoCommand(summary, input, files, options = DEFAULTS) {
  const v = summary.video;
  const frames = sourceFrames(summary);
  const strip = filmstripLayout(frames, options);
  const poster = posterFrame(frames);
  const deinterlace = v.interlaced ? "yadif=mode=send_frame:parity=auto:deint=all," : "";
  const graph = [
    `[0:v:0]${deinterlace}${fitLongSide(options.maxLongSide)},format=yuv420p,split=4[proxy][p][t][f]`,
    `[p]select='eq(n,${poster})',format=yuvj420p[poster]`,
    `[t]select='eq(n,${poster})',${fitLongSide(options.thumbnailLongSide)},format=yuvj420p[thumb]`,
    `[f]select='not(mod(n,${strip.step}))',scale=w=${options.filmstripTileWidth}:h=-2,format=yuvj420p,tile=layout=${strip.columns}x${strip.rows}[strip]`,
  ].join(";");
  const args = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", ...inputArgs(input), "-filter_complex", graph];
  args.push("-map", "[proxy]", "-map", "0:a:0?", "-r", rateText(v.rate), "-fps_mode", "cfr");
  args.push("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-force_key_frames", "expr:gte(t,n_forced*1)");
  args.push("-c:a", "aac", "-b:a", "160k", "-ac", "2", "-ar", "48000");
  args.push("-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", files.proxy);
  args.push("-map", "[poster]", "-frames:v", "1", "-q:v", "3", files.poster);
  args.push("-map", "[thumb]", "-frames:v", "1", "-q:v", "5", files.thumbnail);
  args.push("-map", "[strip]", "-frames:v", "1", "-q:v", "5", files.filmstrip);
  return { args, filmstrip: strip, posterFrame: poster };
}

/** Peaks per second of audio, bounded so that an hour stays a small JSON. */
export function peaksPlan(durationSeconds, options = DEFAULTS) {
  const seconds = Math.max(durationSeconds ?? 1, 0.001);
  const pairs = Math.max(1, Math.min(options.maxPeaks, Math.round(seconds * options.peaksPerSecond)));
  return { sampleRate: options.peaksSampleRate, samplesPerPeak: Math.max(1, Math.ceil((seconds * options.peaksSampleRate) / pairs)) };
}

/**
 * An audio file: an AAC proxy (always, so that playing never touches the original, which a viewer
 * may not download) and, from the same decode, mono 16-bit samples on stdout for the waveform.
 */
export function audioCommand(summary, input, files, options = DEFAULTS) {
  const channels = Math.min(2, summary.audio?.channels ?? 2);
  const peaks = peaksPlan(summary.durationSeconds, options);
  const args = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", input];
  args.push(
    "-map",
    "0:a:0",
    "-vn",
    "-c:a",
    "aac",
    "-b:a",
    "192k",
    "-ac",
    String(channels),
    "-map_metadata",
    "-1",
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
    files.proxy,
  );
  args.push("-map", "0:a:0", "-vn", "-ac", "1", "-ar", String(peaks.sampleRate), "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1");
  return { args, peaks };
}

/** The filters that turn a picture upright for an EXIF orientation (1–8). */
export function orientationFilter(orientation) {
  return (
    {
      2: "hflip",
      3: "hflip,vflip",
      4: "vflip",
      5: "transpose=cclock_flip",
      6: "transpose=clock",
      7: "transpose=clock_flip",
      8: "transpose=cclock",
    }[orientation] ?? null
  );
}

/**
 * A still: the display preview and the thumbnail, upright. Decoding is strict, so a damaged image
 * fails clearly instead of giving a half-grey preview.
 */
export function stillCommand(input, files, { orientation = 1 } = {}, options = DEFAULTS) {
  const upright = orientationFilter(orientation);
  const graph = [
    `[0:v:0]${upright ? `${upright},` : ""}format=rgb24,split=2[a][b]`,
    `[a]${fitLongSide(options.stillMaxLongSide)},format=yuvj420p[preview]`,
    `[b]${fitLongSide(options.thumbnailLongSide)},format=yuvj420p[thumb]`,
  ].join(";");
  const args = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-err_detect", "explode", "-xerror", ...inputArgs(input), "-filter_complex", graph];
  args.push("-map", "[preview]", "-frames:v", "1", "-q:v", "3", files.preview);
  args.push("-map", "[thumb]", "-frames:v", "1", "-q:v", "5", files.thumbnail);
  return { args };
}

/** ISO BMFF brands of HEIF stills (HEIC, HEIF, AVIF), which Debian's ffmpeg 5.1 cannot read. */
const HEIF_BRANDS = new Set(["heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif"]);

/** Whether the first bytes are a HEIF still: `ftyp` with a HEIF major brand. */
export function isHeif(head) {
  if (head.length < 12 || head.toString("latin1", 4, 8) !== "ftyp") return false;
  return HEIF_BRANDS.has(head.toString("latin1", 8, 12));
}
