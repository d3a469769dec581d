import { fileTypeFromBuffer } from "file-type/core";
import type { AssetKind, Sniffed } from "./types";

/** How many leading bytes sniff() wants (file-type needs ~4100 for a few formats). */
export const SNIFF_BYTES = 4100;

const UNKNOWN: Sniffed = { contentType: "application/octet-stream", kind: "other", container: null };

/** file-type extensions whose container name we spell differently. */
const CONTAINER_BY_EXT: Record<string, string> = { jpg: "jpeg", tif: "tiff", mts: "mpegts" };

/** Media types file-type reports outside video/, audio/ and image/. */
const KIND_BY_MIME: Record<string, AssetKind> = {
  "application/mxf": "video",
  "application/vnd.ms-asf": "video",
  "application/ogg": "audio",
};

/**
 * Detects the type of a file from its first bytes only (never from a client's
 * claimed type or the file name): file-type's signature tables, mapped to our
 * kind and a short container name. `head` is the first SNIFF_BYTES bytes, or
 * the whole file when it is smaller. Never rejects; unknown bytes give
 * application/octet-stream, kind "other".
 */
export async function sniff(head: Uint8Array): Promise<Sniffed> {
  let detected: { ext: string; mime: string } | undefined;
  try {
    detected = await fileTypeFromBuffer(head);
  } catch {
    detected = undefined;
  }
  if (!detected) return { ...UNKNOWN };
  const { ext, mime } = detected;
  const kind: AssetKind =
    KIND_BY_MIME[mime] ?? (mime.startsWith("video/") ? "video" : mime.startsWith("audio/") ? "audio" : mime.startsWith("image/") ? "image" : "other");
  return { contentType: mime, kind, container: kind === "other" ? null : (CONTAINER_BY_EXT[ext] ?? ext) };
}
