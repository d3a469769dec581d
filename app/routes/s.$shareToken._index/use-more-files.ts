import { useCallback, useEffect, useRef, useState } from "react";
import { portalFile, type PortalFile } from "~/components/guest/portal-files";
import { guestApi } from "~/components/guest/urls";

type Page = { items: PortalFile[]; nextCursor: string | null };

/**
 * The portal's files after the server-rendered first page: the next page from the guest API's
 * mirror (the portal's cookie) when `more` is called, appended without duplicates. Fresh loader
 * data (after an upload) starts again from its first page; a page that fails can be asked again.
 */
export function useMoreFiles(token: string, first: Page) {
  const [shown, setShown] = useState(first);
  const [items, setItems] = useState(first.items);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  // The load in flight, so a reset or unmount drops its answer instead of appending it.
  const inFlight = useRef<AbortController | null>(null);

  // Adjusted during render, not in an effect: the first page and what was appended never disagree.
  if (shown !== first) {
    setShown(first);
    setItems(first.items);
    setCursor(first.nextCursor);
    setState("idle");
  }
  // New first page or unmount: the load in flight is dropped.
  useEffect(
    () => () => {
      inFlight.current?.abort();
      inFlight.current = null;
    },
    [first],
  );

  const more = useCallback(async () => {
    if (!cursor || inFlight.current) return;
    const controller = new AbortController();
    inFlight.current = controller;
    setState("loading");
    try {
      const response = await fetch(guestApi.assets(token, cursor), { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = (await response.json()) as Page;
      if (controller.signal.aborted) return;
      setItems((prev) => {
        const seen = new Set(prev.map((f) => f.id));
        return prev.concat(page.items.filter((f) => !seen.has(f.id)).map(portalFile));
      });
      setCursor(page.nextCursor);
      setState("idle");
    } catch {
      if (!controller.signal.aborted) setState("failed");
    } finally {
      if (inFlight.current === controller) inFlight.current = null;
    }
  }, [cursor, token]);

  return { items, hasMore: cursor !== null, state, more };
}
