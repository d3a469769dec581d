import type { RouteCatalog, RouteEntry } from "./catalog.server";

/**
 * The browser's mirror of the API (ADR 0012): the /api/v1 routes that browser
 * code calls with its session cookie, served under /web/v1 by the API
 * route's own guarded handlers (the dispatcher mounts them from this list;
 * there is no route module per mirror). Same policy, validation, errors and
 * audit events; the guard authenticates /web/ by the cookie only, and the
 * Worker's Origin check covers every non-GET request.
 *
 * `handlers` says which of the API route's handlers are mirrored: "loader"
 * answers GET and HEAD, "action" every other method; a method without a
 * mirrored handler is 405, a path not listed is 404.
 */
export type WebMirror = { readonly path: string; readonly handlers: readonly ("loader" | "action")[] };

export const API_V1 = "/api/v1";
export const WEB_V1 = "/web/v1";

export const WEB_MIRRORS: readonly WebMirror[] = [
  // The upload engine (app/upload/uploader.ts): folders of a dropped tree, small uploads (the
  // assets action), multipart uploads and their resume, the uploaded asset, its thumbnail (PUT).
  { path: "/projects/:projectId/folders", handlers: ["loader", "action"] },
  // Small uploads (POST). The browse page's "load more" reads the page's own loader (ADR 0021).
  { path: "/projects/:projectId/assets", handlers: ["action"] },
  { path: "/projects/:projectId/uploads", handlers: ["action"] },
  { path: "/uploads/:uploadId", handlers: ["loader", "action"] },
  { path: "/uploads/:uploadId/parts/:partNumber", handlers: ["action"] },
  { path: "/uploads/:uploadId/complete", handlers: ["action"] },
  // The uploaded asset, read back when a multipart completion's answer was lost.
  { path: "/assets/:assetId", handlers: ["loader"] },
  // Images of the grid, the upload panel and the asset page (app/components/assets/urls.ts).
  { path: "/assets/:assetId/thumbnail", handlers: ["loader", "action"] },
  // The asset page's download link, and its player before a proxy exists.
  { path: "/assets/:assetId/original", handlers: ["loader"] },
  // The player (ADR 0030): the media state (polled while a job runs), the proxy stream, posters,
  // filmstrips, waveforms and still previews, and the proxy download link.
  { path: "/assets/:assetId/media", handlers: ["loader"] },
  { path: "/assets/:assetId/stream", handlers: ["loader"] },
  { path: "/assets/:assetId/derived/:name", handlers: ["loader"] },
  { path: "/assets/:assetId/proxy", handlers: ["loader"] },
  // The player's marker panel (issue #14): list, add, change, resolve, reply, delete, export.
  { path: "/assets/:assetId/markers", handlers: ["loader", "action"] },
  { path: "/assets/:assetId/markers/export", handlers: ["loader"] },
  { path: "/markers/:markerId", handlers: ["action"] },
  { path: "/markers/:markerId/replies", handlers: ["action"] },
  // The guest portal (/s/<token>, issue #14): the same guest handlers, with the portal's cookie
  // (one per link) instead of the bearer; the guard leaves guests to the sharing domain.
  // The portal's list after its first page (the page renders the first, then pages as the guest scrolls).
  { path: "/public/shares/:shareToken/assets", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId/thumbnail", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId/stream", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId/derived/:name", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId/original", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId/proxy", handlers: ["loader"] },
  { path: "/public/shares/:shareToken/assets/:assetId/markers", handlers: ["loader", "action"] },
  { path: "/public/shares/:shareToken/assets/:assetId/markers/:markerId/replies", handlers: ["action"] },
  { path: "/public/shares/:shareToken/assets/:assetId/approval", handlers: ["action"] },
  { path: "/public/shares/:shareToken/uploads", handlers: ["action"] },
];

export type ResolvedWebMirror = WebMirror & { webPath: string; api: RouteEntry };

/** Each mirror with its API route; a listed path without one is a mistake, refused at start-up. */
export function resolveWebMirrors(catalog: RouteCatalog, mirrors: readonly WebMirror[]): ResolvedWebMirror[] {
  return mirrors.map((mirror) => {
    const api = catalog.find((entry) => entry.path === `${API_V1}${mirror.path}`);
    if (!api) throw new Error(`web mirror ${mirror.path}: no API route ${API_V1}${mirror.path}`);
    return { ...mirror, webPath: `${WEB_V1}${mirror.path}`, api };
  });
}
