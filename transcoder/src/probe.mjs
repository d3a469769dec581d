// What ffprobe says about a file, reduced to what the profiles and Kura's technical metadata need.
import { runTool } from "./tools.mjs";
import { inputArgs } from "./profiles.mjs";

/** Standard rates a variable-rate source is snapped to when its average is this close (0.5 %). */
const STANDARD_RATES = [
  [24000, 1001],
  [24, 1],
  [25, 1],
  [30000, 1001],
  [30, 1],
  [48, 1],
  [50, 1],
  [60000, 1001],
  [60, 1],
];

/** Formats ffmpeg reads as a single picture. */
const STILL_FORMATS = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/;

/** "30000/1001" as {num, den}, or null for "0/0" and garbage. */
export function parseRate(text) {
  const m = /^(\d+)\/(\d+)$/.exec(String(text ?? ""));
  if (!m) return null;
  const num = Number(m[1]);
  const den = Number(m[2]);
  return num > 0 && den > 0 ? reduce(num, den) : null;
}

function reduce(num, den) {
  const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

const close = (a, b, tolerance) => Math.abs(a - b) / b <= tolerance;

/**
 * The rate the proxy is made at. A constant-rate source keeps its exact rational rate (29.97 stays
 * 30000/1001). A variable-rate source (phones) reports a nominal `r_frame_rate` far from its
 * average; it gets the standard rate nearest its average, or the average itself.
 */
export function proxyRate(stream) {
  const real = parseRate(stream.r_frame_rate);
  const avg = parseRate(stream.avg_frame_rate);
  if (real && (!avg || close(real.num / real.den, avg.num / avg.den, 0.01))) return { rate: real, constant: true };
  if (!avg) return { rate: real, constant: false };
  const snapped = STANDARD_RATES.find(([n, d]) => close(avg.num / avg.den, n / d, 0.005));
  return { rate: snapped ? { num: snapped[0], den: snapped[1] } : avg, constant: false };
}

const num = (v) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** The rotation a display matrix asks for, in degrees clockwise (0, 90, 180, 270). */
function rotationOf(stream) {
  const matrix = (stream.side_data_list ?? []).find((s) => typeof s.rotation === "number");
  const degrees = matrix ? matrix.rotation : num(stream.tags?.rotate);
  return degrees === null ? 0 : (((Math.round(-degrees / 90) * 90) % 360) + 360) % 360;
}

/** ffprobe's JSON reduced to one summary; `null` members where the file has no such stream. */
export function summarize(data) {
  const streams = data.streams ?? [];
  const format = data.format ?? {};
  const videoStream = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audioStream = streams.find((s) => s.codec_type === "audio");
  const formatName = String(format.format_name ?? "");
  const still =
    videoStream !== undefined && (STILL_FORMATS.test(formatName) || (num(videoStream.nb_read_packets) ?? num(videoStream.nb_frames) ?? 2) <= 1) && !audioStream;
  let video = null;
  if (videoStream) {
    const { rate, constant } = proxyRate(videoStream);
    const rotation = rotationOf(videoStream);
    const turned = rotation === 90 || rotation === 270;
    video = {
      codec: videoStream.codec_name ?? null,
      profile: videoStream.profile ?? null,
      // As displayed: a phone's portrait clip is stored landscape with a rotation.
      width: turned ? videoStream.height : videoStream.width,
      height: turned ? videoStream.width : videoStream.height,
      rate,
      constantRate: constant,
      frames: num(videoStream.nb_read_packets) ?? num(videoStream.nb_frames),
      interlaced: ["tt", "bb", "tb", "bt"].includes(videoStream.field_order),
      pixelFormat: videoStream.pix_fmt ?? null,
      timecode: videoStream.tags?.timecode ?? streams.find((s) => s.tags?.timecode)?.tags?.timecode ?? format.tags?.timecode ?? null,
      rotation,
    };
  }
  const audio = audioStream
    ? {
        codec: audioStream.codec_name ?? null,
        sampleRate: num(audioStream.sample_rate),
        channels: num(audioStream.channels),
        bitsPerSample: num(audioStream.bits_per_raw_sample) || num(audioStream.bits_per_sample) || null,
      }
    : null;
  return {
    formatName,
    durationSeconds: num(format.duration) ?? num(videoStream?.duration) ?? num(audioStream?.duration),
    bitRate: num(format.bit_rate),
    kind: still ? "image" : video ? "video" : audio ? "audio" : null,
    video,
    audio,
  };
}

/**
 * Probes a file or URL from its headers. Where the container does not state the video's frame
 * count (MXF), the packets are counted: a whole read, for those containers only.
 */
export async function probe(input, { signal } = {}) {
  const tail = inputArgs(input).slice(0, -2);
  const { stdout } = await runTool("ffprobe", ["-v", "error", ...tail, "-show_streams", "-show_format", "-of", "json", input], { signal });
  const data = JSON.parse(stdout);
  const video = (data.streams ?? []).find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  if (video && !Number(video.nb_frames)) {
    const counted = await runTool(
      "ffprobe",
      ["-v", "error", ...tail, "-select_streams", `${video.index}`, "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "json", input],
      { signal },
    );
    video.nb_read_packets = JSON.parse(counted.stdout).streams?.[0]?.nb_read_packets;
  }
  return summarize(data);
}

/** EXIF orientation (1–8) of a still, from the first decoded frame's tags; 1 when there is none. */
export async function stillOrientation(file, { signal } = {}) {
  try {
    const { stdout } = await runTool(
      "ffprobe",
      ["-v", "error", ...inputArgs(file).slice(0, -2), "-read_intervals", "%+#1", "-show_entries", "frame_tags=Orientation", "-of", "json", file],
      {
        signal,
      },
    );
    const value = Number(JSON.parse(stdout).frames?.[0]?.tags?.Orientation);
    return Number.isInteger(value) && value >= 1 && value <= 8 ? value : 1;
  } catch {
    return 1;
  }
}
