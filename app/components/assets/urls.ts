/**
 * Same-origin URLs of asset bytes and pages for the browser. Bytes come from
 * the cookie-authenticated JSON/bytes mirror of the API (`/web/v1/...`, the
 * same handlers as `/api/v1`, so the same permission checks apply).
 */
export const webApi = {
  thumbnail: (assetId: string) => `/web/v1/assets/${encodeURIComponent(assetId)}/thumbnail`,
  proxy: (assetId: string) => `/web/v1/assets/${encodeURIComponent(assetId)}/proxy`,
  media: (assetId: string) => `/web/v1/assets/${encodeURIComponent(assetId)}/media`,
  /** A same-origin API path of the media state (/api/v1/…) as the browser's mirror (/web/v1/…). */
  mirrored: (apiPath: string) => apiPath.replace(/^\/api\/v1\//, "/web/v1/"),
  original: (assetId: string, disposition: "inline" | "attachment" = "attachment") =>
    `/web/v1/assets/${encodeURIComponent(assetId)}/original${disposition === "inline" ? "?disposition=inline" : ""}`,
};

export const pages = {
  project: (projectId: string, search?: URLSearchParams | string) => {
    const s = search === undefined ? "" : String(search);
    return `/projects/${encodeURIComponent(projectId)}${s ? `?${s}` : ""}`;
  },
  folder: (projectId: string, folderId: string | null) =>
    `/projects/${encodeURIComponent(projectId)}${folderId ? `?folder=${encodeURIComponent(folderId)}` : ""}`,
  asset: (projectId: string, assetId: string) => `/projects/${encodeURIComponent(projectId)}/assets/${encodeURIComponent(assetId)}`,
  zip: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/zip`,
  metadataExport: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/metadata-export`,
  collection: (projectId: string, collectionId: string) => `/projects/${encodeURIComponent(projectId)}/collections/${encodeURIComponent(collectionId)}`,
};

/** Types the browser plays from our origin (the server serves others as downloads). */
export function playbackKind(contentType: string, videoCodec: string | undefined): "video" | "audio" | "image" | null {
  const type = contentType.toLowerCase();
  if (type === "video/mp4" || type === "video/webm") return "video";
  if (type === "video/quicktime") return videoCodec && /avc|h\.?264/i.test(videoCodec) ? "video" : null;
  if (type.startsWith("audio/")) return "audio";
  if (/^image\/(jpeg|png|gif|webp|avif)$/.test(type)) return "image";
  return null;
}
