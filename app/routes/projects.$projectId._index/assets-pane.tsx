import { useActionData, useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { AssetBrowser, useSelection, type BrowserAsset, type View } from "~/components/assets/asset-browser";
import { pages } from "~/components/assets/urls";
import { useLocale, useT } from "~/i18n/use-t";
import { browseSearch, hasFilters } from "~/schemas/forms/assets";
import { BulkToolbar } from "./bulk-bar";
import type { loader } from "./route";
import type { BrowsePageData, Done } from "./types";
import { setViewCookie } from "./view";

/**
 * "Load more" asks this route's own loader for the page after `cursor`
 * (`more=1`: the list alone), so every page has the loader's shape. The
 * `index` parameter makes the fetcher load this index route, not its parent.
 */
function morePageUrl(data: BrowsePageData, cursor: string): string {
  const search = browseSearch(data.browse);
  search.set("cursor", cursor);
  search.set("more", "1");
  search.set("index", "");
  return pages.project(data.project.id, search);
}

/** The grid or list of assets, with its view toggle and the selection's toolbar. */
export function AssetsPane({ data, held }: { data: BrowsePageData; held: Set<string> }) {
  const t = useT();
  const locale = useLocale();
  const [items, setItems] = useState<BrowserAsset[]>(data.assets.items);
  const [cursor, setCursor] = useState<string | null>(data.assets.nextCursor);
  const [loadError, setLoadError] = useState(false);
  const [view, setView] = useState<View>(data.view);
  const more = useFetcher<typeof loader>();
  // The cursor of the page asked for (state, not a ref: render reads it). A fetcher's
  // revalidation after an action is not a page we asked for.
  const [asked, setAsked] = useState<string | null>(null);
  const selection = useSelection(items);
  const actionData = useActionData<Done>();

  // Both adjustments below happen during render (React's "information from previous
  // renders" pattern), not in effects: a concurrent render may run an effect's deps
  // comparison against a render that never committed, and a page must never be lost.
  // Fresh loader data (after an action or a new search): start again from its first page.
  const [shownAssets, setShownAssets] = useState(data.assets);
  if (shownAssets !== data.assets) {
    setShownAssets(data.assets);
    setItems(data.assets.items);
    setCursor(data.assets.nextCursor);
    setLoadError(false);
    setAsked(null);
  }
  // A page we asked for has arrived: append what is new in it.
  const [seenPage, setSeenPage] = useState(more.data);
  if (more.state === "idle" && more.data !== seenPage) {
    setSeenPage(more.data);
    const page = more.data;
    if (asked !== null) {
      setAsked(null);
      if (!page || page.filterError) setLoadError(true);
      else {
        const seen = new Set(items.map((a) => a.id));
        setItems(items.concat(page.assets.items.filter((a) => !seen.has(a.id))));
        setCursor(page.assets.nextCursor);
      }
    }
  }

  useEffect(() => {
    if (actionData && actionData.ok && actionData.form === "bulk" && actionData.clearSelection) selection.clear();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  // Selected ids that are no longer listed (deleted, moved away) drop out.
  useEffect(() => {
    const ids = new Set(items.map((a) => a.id));
    selection.setSelected((prev) => {
      const next = new Set([...prev].filter((id) => ids.has(id)));
      return next.size === prev.size ? prev : next;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items]);

  const loading = asked !== null;
  const loadMore = useCallback(() => {
    if (asked !== null || !cursor) return;
    setAsked(cursor);
    more.load(morePageUrl(data, cursor));
  }, [asked, cursor, data, more]);

  const chooseView = (v: View) => {
    setView(v);
    setViewCookie(v);
  };

  const empty = items.length === 0;
  const atRootUnfiltered = !data.folder && !hasFilters(data.browse) && data.subfolders.items.length === 0 && !data.filterError;
  return (
    <section className="card assets-card" aria-labelledby="assets-heading">
      <div className="assets-head">
        <h2 id="assets-heading">{t("project.assets")}</h2>
        <span className="muted" role="status" data-testid="loaded-count">
          {cursor ? t("browse.loadedMore", { count: items.length.toLocaleString(locale) }) : t("browse.loaded", { count: items.length.toLocaleString(locale) })}
        </span>
        <div className="view-toggle" role="group" aria-label={t("browse.view")}>
          {(["grid", "list"] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => chooseView(v)} data-testid={`view-${v}`}>
              {t(`browse.view.${v}`)}
            </button>
          ))}
        </div>
      </div>
      <BulkToolbar data={data} held={held} selection={selection} items={items} />
      {empty ? (
        <p data-testid={atRootUnfiltered ? "assets-empty" : "assets-none"} className="empty muted">
          {atRootUnfiltered ? t("project.noAssets") : hasFilters(data.browse) ? t("browse.noResults") : t("browse.emptyFolder")}
        </p>
      ) : (
        <>
          <p className="muted small" id="browser-help">
            {t("browse.keyboardHelp")}
          </p>
          <AssetBrowser
            projectId={data.project.id}
            items={items}
            view={view}
            selection={selection}
            hasMore={Boolean(cursor) && !loadError}
            loading={loading || more.state !== "idle"}
            onLoadMore={loadMore}
            label={t("browse.gridLabel")}
          />
        </>
      )}
      {loadError ? (
        <p className="alert alert-error" role="alert">
          {t("browse.loadFailed")}{" "}
          <button
            type="button"
            onClick={() => {
              setLoadError(false);
              loadMore();
            }}
          >
            {t("browse.retry")}
          </button>
        </p>
      ) : null}
    </section>
  );
}
