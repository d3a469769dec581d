import { useCallback, useState } from "react";
import { DEFAULT_MARKER_COLOR, type Marker, type MarkerShape } from "~/schemas/review";
import { MARKER_HEX } from "./shape-layer";

/** Where a review session sends its requests: the team's marker API, or a share guest's. */
export type MarkerUrls = {
  list: string;
  replies: (markerId: string) => string;
  /** The team's only: changing, resolving and deleting, and exports. */
  one?: (markerId: string) => string;
  export?: (format: "csv" | "edl") => string;
};

/** The marker API's browser mirror (the same handlers and checks as /api/v1). */
export const markerUrls = (assetId: string): MarkerUrls => ({
  list: `/web/v1/assets/${encodeURIComponent(assetId)}/markers`,
  export: (format) => `/web/v1/assets/${encodeURIComponent(assetId)}/markers/export?format=${format}`,
  one: (markerId) => `/web/v1/markers/${encodeURIComponent(markerId)}`,
  replies: (markerId) => `/web/v1/markers/${encodeURIComponent(markerId)}/replies`,
});

/** A share guest's markers on one asset of the share (the portal's cookie on /web/v1). */
export const guestMarkerUrls = (shareToken: string, assetId: string): MarkerUrls => {
  const asset = `/web/v1/public/shares/${encodeURIComponent(shareToken)}/assets/${encodeURIComponent(assetId)}`;
  return { list: `${asset}/markers`, replies: (markerId) => `${asset}/markers/${encodeURIComponent(markerId)}/replies` };
};

export type DrawTool = MarkerShape["type"];

/** What the marker panel and the drawing layer share: the markers, the drawing being made, and the last error. */
export type ReviewSession = ReturnType<typeof useReview>;

async function send(url: string, method: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const data = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

export function useReview(assetId: string, initial: Marker[], urls: MarkerUrls = markerUrls(assetId)) {
  const [markers, setMarkers] = useState<Marker[]>(initial);
  const [tool, setTool] = useState<DrawTool | null>(null);
  const [draft, setDraft] = useState<MarkerShape[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [color, setColor] = useState<string>(DEFAULT_MARKER_COLOR);

  const reload = useCallback(async () => {
    const data = (await send(urls.list, "GET")) as { items: Marker[] };
    setMarkers(data.items);
  }, [urls.list]);

  /** Runs a change, then reads the list again (replies and order come from the server). */
  const run = useCallback(
    async (change: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await change();
        await reload();
        return true;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [reload],
  );

  const one = (markerId: string) => {
    if (!urls.one) throw new Error("Markers cannot be changed here.");
    return urls.one(markerId);
  };
  return {
    assetId,
    urls,
    markers,
    tool,
    setTool,
    draft,
    addShape: (shape: MarkerShape) => setDraft((d) => [...d, shape]),
    clearDraft: () => setDraft([]),
    error,
    busy,
    color,
    setColor,
    create: (body: { startFrame: number; endFrame: number | null; text: string }) =>
      run(() => send(urls.list, "POST", { ...body, color, shapes: draft.length > 0 ? { version: 1, items: draft } : null })).then((ok) => {
        if (ok) {
          setDraft([]);
          setTool(null);
        }
        return ok;
      }),
    update: (markerId: string, body: Record<string, unknown>) => run(() => send(one(markerId), "PATCH", body)),
    remove: (markerId: string) => run(() => send(one(markerId), "DELETE")),
    reply: (markerId: string, text: string) => run(() => send(urls.replies(markerId), "POST", { text })),
  };
}

/** The markers shown on a frame: a point marker on its frame, a range on each of its frames. */
export function markersOnFrame(markers: readonly Marker[], frame: number): Marker[] {
  return markers.filter((m) => frame >= m.startFrame && frame <= (m.endFrame ?? m.startFrame));
}

/** The shapes to show on a frame: those of the markers on it (in their colour), then the drawing being made. */
export function shapesOnFrame(markers: readonly Marker[], frame: number, draft: readonly MarkerShape[]) {
  const hex = (color: string | undefined) => MARKER_HEX[color ?? "yellow"] ?? MARKER_HEX.yellow!;
  return [
    ...markersOnFrame(markers, frame).flatMap((m) =>
      (m.shapes?.items ?? []).map((shape, i) => ({ shape, color: hex(shape.color ?? m.color), key: `${m.id}:${i}` })),
    ),
    ...draft.map((shape, i) => ({ shape, color: hex(shape.color), key: `draft:${i}` })),
  ];
}
