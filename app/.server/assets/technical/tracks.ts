import type { Technical, TrackInfo } from "./types";

/** Which summary field of Technical each track field fills, per kind. */
const SUMMARY: Record<TrackInfo["kind"], Array<[keyof TrackInfo, keyof Technical]>> = {
  video: [
    ["width", "width"],
    ["height", "height"],
    ["frameRate", "frameRate"],
    ["codec", "videoCodec"],
    ["codecName", "videoCodecName"],
    ["bitDepth", "videoBitDepth"],
  ],
  audio: [
    ["codec", "audioCodec"],
    ["channels", "audioChannels"],
    ["sampleRate", "audioSampleRate"],
    ["bitDepth", "audioBitDepth"],
  ],
};

/**
 * The summary fields come from the first video and the first audio track;
 * `tracks` lists every track when there is more than one of a kind.
 */
export function summarise(technical: Technical, tracks: TrackInfo[]) {
  for (const kind of ["video", "audio"] as const) {
    const first = tracks.find((t) => t.kind === kind);
    if (!first) continue;
    for (const [from, to] of SUMMARY[kind]) {
      const value = first[from];
      if (value !== undefined && value !== "" && value !== 0) (technical as Record<string, unknown>)[to] = value;
    }
  }
  const videos = tracks.filter((t) => t.kind === "video").length;
  if (videos > 1 || tracks.length - videos > 1) technical.tracks = tracks;
}
