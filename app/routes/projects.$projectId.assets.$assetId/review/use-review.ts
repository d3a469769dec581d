import { useCallback, useState } from "react";
import { DEFAULT_MARKER_COLOR, type Marker, type MarkerShape } from "~/schemas/review";
import { MARKER_HEX } from "./shape-layer";

/** The marker API's browser mirror (the same handlers and checks as /api/v1). */
export const markerUrls = {
  list: (assetId: string) => `/web/v1/assets/${encodeURIComponent(assetId)}/markers`,
  export: (assetId: string, format: "csv" | "edl") => `/web/v1/assets/${encodeURIComponent(assetId)}/markers/export?format=${format}`,
  one: (markerId: string) => `/web/v1/markers/${encodeURIComponent(markerId)}`,
  replies: (markerId: string) => `/web/v1/markers/${encodeURIComponent(markerId)}/replies`,
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

export function useReview(assetId: string, initial: Marker[]) {
  const [markers, setMarkers] = useState<Marker[]>(initial);
  const [tool, setTool] = useState<DrawTool | null>(null);
  const [draft, setDraft] = useState<MarkerShape[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [color, setColor] = useState<string>(DEFAULT_MARKER_COLOR);

  const reload = useCallback(async () => {
    const data = (await send(markerUrls.list(assetId), "GET")) as { items: Marker[] };
    setMarkers(data.items);
  }, [assetId]);

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

  return {
    assetId,
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
      run(() => send(markerUrls.list(assetId), "POST", { ...body, color, shapes: draft.length > 0 ? { version: 1, items: draft } : null })).then((ok) => {
        if (ok) {
          setDraft([]);
          setTool(null);
        }
        return ok;
      }),
    update: (markerId: string, body: Record<string, unknown>) => run(() => send(markerUrls.one(markerId), "PATCH", body)),
    remove: (markerId: string) => run(() => send(markerUrls.one(markerId), "DELETE")),
    reply: (markerId: string, text: string) => run(() => send(markerUrls.replies(markerId), "POST", { text })),
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
