import { problem } from "./problems";
import type { Problem, Sniffed } from "./types";

/** File-name extensions that promise audio, video or images. */
const MEDIA_EXTENSIONS = new Set([
  "mov",
  "mp4",
  "m4v",
  "mxf",
  "avi",
  "mkv",
  "webm",
  "mts",
  "m2ts",
  "ts",
  "mpg",
  "mpeg",
  "r3d",
  "braw",
  "ari",
  "wav",
  "bwf",
  "aif",
  "aiff",
  "mp3",
  "m4a",
  "aac",
  "flac",
  "ogg",
  "opus",
  "jpg",
  "jpeg",
  "png",
  "gif",
  "webp",
  "heic",
  "heif",
  "avif",
  "tif",
  "tiff",
  "dng",
  "cr2",
  "cr3",
  "nef",
  "arw",
]);

/**
 * Bytes that match no known format are just a file, unless its name promises
 * media: random bytes called `clip.mov` are an `unknown_format` problem
 * (the name is only used to decide whether to complain, never to decide the type).
 */
export function problemFromMediaName(name: string, sniffed: Sniffed): Problem | null {
  if (sniffed.container !== null || sniffed.kind !== "other") return null;
  const ext = name.toLowerCase().match(/\.([a-z0-9]{1,5})$/)?.[1];
  return ext && MEDIA_EXTENSIONS.has(ext) ? problem("unknown_format", `no known signature, although the name ends in .${ext}`) : null;
}
