/**
 * The asset grid and list: virtualised (only the rows in view, plus a few
 * above and below, are in the DOM), keyboard-driven (ARIA grid with one
 * roving tab stop) and multi-select.
 *
 * Windowing: the scroll container has a fixed height; its inner box is as
 * tall as all loaded rows, and each visible row is placed with a transform.
 * Grid rows hold as many tiles as fit the width (measured with a
 * ResizeObserver). When the window nears the last loaded row, `onLoadMore`
 * asks for the next page (keyset cursor), so a 100,000-asset project costs
 * the same to render as a 100-asset one. Before hydration (and without
 * JavaScript) the first page is rendered in normal flow: the CSP forbids
 * inline style attributes in server HTML, so positions are only ever set
 * from the browser.
 */
import { Link, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { useLocale, useT } from "~/i18n/use-t";
import { useTimeZone } from "~/i18n/use-time-zone";
import type { MessageKey } from "~/i18n/messages";
import { ColorDot, StatusBadge, Thumb, type Kind } from "./bits";
import { formatBytes, formatDateTime, formatDuration, formatFrameRate, formatResolution } from "./format";
import { pages } from "./urls";

export type BrowserAsset = {
  id: string;
  name: string;
  kind: Kind;
  status: "processing" | "ready" | "failed";
  size: number;
  hasThumbnail: boolean;
  colorLabel: string | null;
  createdAt: string;
  tags: string[];
  technical: {
    durationSeconds?: number | undefined;
    width?: number | undefined;
    height?: number | undefined;
    frameRate?: number | undefined;
    videoCodec?: string | undefined;
    audioCodec?: string | undefined;
  };
};

export type View = "grid" | "list";

// useLayoutEffect warns during server rendering; the effect only matters in the browser.
const useIsoLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

const GRID_MIN_TILE = 180;
const GRID_GAP = 12;
const GRID_CAPTION = 46;
const LIST_ROW = 44;
const OVERSCAN_ROWS = 4;

/** Selection of loaded assets: ids, the anchor of range selection, and the focused index. */
export function useSelection(items: readonly BrowserAsset[]) {
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const anchor = useRef<number>(0);
  const indexOf = useMemo(() => new Map(items.map((a, i) => [a.id, i])), [items]);
  const toggle = useCallback((id: string) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const range = useCallback(
    (from: number, to: number, keep = false) => {
      const [a, b] = from <= to ? [from, to] : [to, from];
      setSelected((prev) => {
        const next = keep ? new Set(prev) : new Set<string>();
        for (let i = a; i <= b; i++) {
          const item = items[i];
          if (item) next.add(item.id);
        }
        return next;
      });
    },
    [items],
  );
  const only = useCallback((id: string) => setSelected(new Set([id])), []);
  const all = useCallback(() => setSelected(new Set(items.map((a) => a.id))), [items]);
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, setSelected, anchor, indexOf, toggle, range, only, all, clear };
}

export type Selection = ReturnType<typeof useSelection>;

type Props = {
  projectId: string;
  items: readonly BrowserAsset[];
  view: View;
  selection: Selection;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  label: string;
};

function useMeasure() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0, scrollTop: 0 });
  useIsoLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setSize((s) =>
        s.width === el.clientWidth && s.height === el.clientHeight && s.scrollTop === el.scrollTop
          ? s
          : { width: el.clientWidth, height: el.clientHeight, scrollTop: el.scrollTop },
      );
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    const observer = new ResizeObserver(schedule);
    observer.observe(el);
    el.addEventListener("scroll", schedule, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);
  return { ref, ...size };
}

export function AssetBrowser({ projectId, items, view, selection, hasMore, loading, onLoadMore, label }: Props) {
  const t = useT();
  const navigate = useNavigate();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const { ref: scroller, width, height, scrollTop } = useMeasure();
  const [focusIndex, setFocusIndex] = useState(0);
  const wantFocus = useRef(false);

  // Layout: columns and row height from the measured width.
  const cols = view === "grid" ? Math.max(1, Math.floor((width + GRID_GAP) / (GRID_MIN_TILE + GRID_GAP))) : 1;
  const tileWidth = view === "grid" ? (width - GRID_GAP * (cols - 1)) / cols : width;
  const rowHeight = view === "grid" ? Math.round((tileWidth * 9) / 16) + GRID_CAPTION + GRID_GAP : LIST_ROW;
  const header = view === "list" ? LIST_ROW : 0;
  const rowCount = Math.ceil(items.length / cols);
  const first = Math.max(0, Math.floor((scrollTop - header) / rowHeight) - OVERSCAN_ROWS);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTop - header + height) / rowHeight) + OVERSCAN_ROWS);
  const focusRow = Math.floor(Math.min(focusIndex, Math.max(0, items.length - 1)) / cols);

  // Keep the focus index valid when the list changes (new search, deletions).
  useEffect(() => {
    if (focusIndex > items.length - 1) setFocusIndex(Math.max(0, items.length - 1));
  }, [items.length, focusIndex]);

  // Near the end of what is loaded: ask for the next page.
  useEffect(() => {
    if (!mounted || !hasMore || loading || width === 0) return;
    if (last >= rowCount - 1 - OVERSCAN_ROWS) onLoadMore();
  }, [mounted, hasMore, loading, last, rowCount, width, onLoadMore]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el) return;
      const top = header + Math.floor(index / cols) * rowHeight;
      if (top < el.scrollTop + header) el.scrollTop = top - header;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [scroller, cols, rowHeight, header],
  );

  // Move DOM focus to the focused item once it is rendered.
  useEffect(() => {
    if (!wantFocus.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      wantFocus.current = false;
    }
  });

  const moveTo = (index: number, extend: boolean) => {
    if (items.length === 0) return;
    const target = Math.max(0, Math.min(items.length - 1, index));
    wantFocus.current = true;
    setFocusIndex(target);
    scrollToIndex(target);
    if (extend) selection.range(selection.anchor.current, target);
    else selection.anchor.current = target;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    // Only keys pressed on an item (not in the name link, a form control, …).
    if (!target.hasAttribute("data-index")) return;
    const pageRows = Math.max(1, Math.floor(height / rowHeight) - 1);
    const current = Math.min(focusIndex, items.length - 1);
    const item = items[current];
    const mod = e.ctrlKey || e.metaKey;
    switch (e.key) {
      case "ArrowRight":
        e.preventDefault();
        return moveTo(current + (view === "grid" ? 1 : 0), e.shiftKey);
      case "ArrowLeft":
        e.preventDefault();
        return moveTo(current - (view === "grid" ? 1 : 0), e.shiftKey);
      case "ArrowDown":
        e.preventDefault();
        return moveTo(current + cols, e.shiftKey);
      case "ArrowUp":
        e.preventDefault();
        return moveTo(current - cols, e.shiftKey);
      case "PageDown":
        e.preventDefault();
        return moveTo(current + pageRows * cols, e.shiftKey);
      case "PageUp":
        e.preventDefault();
        return moveTo(current - pageRows * cols, e.shiftKey);
      case "Home":
        e.preventDefault();
        return moveTo(mod || view === "list" ? 0 : current - (current % cols), e.shiftKey);
      case "End":
        e.preventDefault();
        return moveTo(mod || view === "list" ? items.length - 1 : Math.min(items.length - 1, current - (current % cols) + cols - 1), e.shiftKey);
      case " ":
      case "Spacebar":
        if (!item) return;
        e.preventDefault();
        selection.anchor.current = current;
        if (e.shiftKey) selection.range(selection.anchor.current, current, true);
        else selection.toggle(item.id);
        return;
      case "Enter":
        if (!item) return;
        e.preventDefault();
        navigate(pages.asset(projectId, item.id));
        return;
      case "Escape":
        if (selection.selected.size === 0) return;
        e.preventDefault();
        selection.clear();
        return;
      case "a":
      case "A":
        if (!mod) return;
        e.preventDefault();
        selection.all();
        return;
    }
  };

  const onItemClick = (e: MouseEvent, index: number) => {
    const item = items[index];
    if (!item) return;
    if ((e.target as HTMLElement).closest("a")) return; // the name link opens the asset
    setFocusIndex(index);
    if (e.shiftKey) {
      selection.range(selection.anchor.current, index, e.ctrlKey || e.metaKey);
    } else if (e.ctrlKey || e.metaKey || (e.target as HTMLElement).closest("[data-check]")) {
      selection.anchor.current = index;
      selection.toggle(item.id);
    } else {
      selection.anchor.current = index;
      selection.only(item.id);
    }
  };

  const rows: number[] = [];
  if (mounted && width > 0) {
    for (let r = first; r <= last; r++) rows.push(r);
    if (rowCount > 0 && (focusRow < first || focusRow > last)) rows.push(focusRow);
  }

  const cellProps = (item: BrowserAsset, index: number) => ({
    "data-index": index,
    "data-testid": "asset-item",
    "data-name": item.name,
    "data-id": item.id,
    tabIndex: index === Math.min(focusIndex, items.length - 1) ? 0 : -1,
    onClick: (e: MouseEvent) => onItemClick(e, index),
    onDoubleClick: () => navigate(pages.asset(projectId, item.id)),
    onFocus: () => {
      if (focusIndex !== index) setFocusIndex(index);
    },
  });

  const tile = (item: BrowserAsset, index: number) => {
    const selected = selection.selected.has(item.id);
    return (
      <div key={item.id} role="gridcell" aria-selected={selected} className={`tile${selected ? " selected" : ""}`} {...cellProps(item, index)}>
        <span className="tile-media">
          <Thumb id={item.id} kind={item.kind} hasThumbnail={item.hasThumbnail} />
          <span className="check" data-check aria-hidden="true">
            {selected ? "✓" : ""}
          </span>
          <StatusBadge status={item.status} />
          {item.technical.durationSeconds !== undefined ? <span className="tile-duration">{formatDuration(item.technical.durationSeconds)}</span> : null}
        </span>
        <span className="tile-caption">
          <ColorDot color={item.colorLabel} />
          <Link to={pages.asset(projectId, item.id)} tabIndex={-1} className="tile-name" title={item.name}>
            {item.name}
          </Link>
        </span>
      </div>
    );
  };

  const listRow = (item: BrowserAsset, index: number, ariaRow: number) => (
    <ListRow
      key={item.id}
      item={item}
      index={index}
      ariaRow={ariaRow}
      projectId={projectId}
      selected={selection.selected.has(item.id)}
      cell={cellProps(item, index)}
    />
  );

  const gridStyle = { gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gap: `${GRID_GAP}px` };

  return (
    <div
      ref={scroller}
      className={`vscroll view-${view}${mounted ? " virtual" : ""}`}
      role="grid"
      aria-label={label}
      aria-multiselectable="true"
      aria-rowcount={hasMore ? -1 : rowCount + (view === "list" ? 1 : 0)}
      aria-colcount={view === "list" ? 8 : cols}
      aria-busy={loading}
      data-testid="asset-browser"
      data-view={view}
      data-count={items.length}
      onKeyDown={onKeyDown}
    >
      {view === "list" ? <ListHeader /> : null}
      {!mounted || width === 0 ? (
        // Server HTML and the first paint: the first page in normal flow.
        <div className={view === "grid" ? "flow-grid" : "flow-list"}>
          {view === "grid"
            ? chunk(items, 1).map((row, r) => (
                <div role="row" key={row[0]!.id} aria-rowindex={r + 1} className="flow-row">
                  {tile(row[0]!, r)}
                </div>
              ))
            : items.map((item, i) => listRow(item, i, i + 2))}
        </div>
      ) : (
        <div className="vinner" style={{ height: `${rowCount * rowHeight}px` }}>
          {rows.map((r) => {
            const style = { transform: `translateY(${r * rowHeight}px)`, height: `${view === "grid" ? rowHeight - GRID_GAP : rowHeight}px` };
            if (view === "list") {
              const item = items[r]!;
              return (
                <div key={item.id} className="vrow" style={style}>
                  {listRow(item, r, r + 2)}
                </div>
              );
            }
            const rowItems = items.slice(r * cols, r * cols + cols);
            return (
              <div key={`row-${r}`} role="row" aria-rowindex={r + 1} className="vrow grid-row" style={{ ...style, ...gridStyle }}>
                {rowItems.map((item, i) => tile(item, r * cols + i))}
              </div>
            );
          })}
        </div>
      )}
      {loading ? (
        <p className="vstatus muted" role="status">
          {t("browse.loadingMore")}
        </p>
      ) : null}
    </div>
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const COLUMNS: MessageKey[] = [
  "browse.col.name",
  "browse.col.kind",
  "browse.col.size",
  "browse.col.duration",
  "browse.col.resolution",
  "browse.col.frameRate",
  "browse.col.codec",
  "browse.col.created",
];

function ListHeader() {
  const t = useT();
  return (
    <div role="row" aria-rowindex={1} className="list-row list-head">
      {COLUMNS.map((key) => (
        <span role="columnheader" key={key}>
          {t(key)}
        </span>
      ))}
    </div>
  );
}

function ListRow({
  item,
  index,
  ariaRow,
  projectId,
  selected,
  cell,
}: {
  item: BrowserAsset;
  index: number;
  ariaRow: number;
  projectId: string;
  selected: boolean;
  cell: Record<string, unknown>;
}) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const tech = item.technical;
  const { onClick, onDoubleClick, ...focusable } = cell as { onClick: () => void; onDoubleClick: () => void } & Record<string, unknown>;
  return (
    <div
      role="row"
      aria-rowindex={ariaRow}
      aria-selected={selected}
      className={`list-row${selected ? " selected" : ""}`}
      onClick={onClick}
      onDoubleClick={onDoubleClick}
      data-row={index}
    >
      <span role="gridcell" className="list-name" {...focusable}>
        <span className="check" data-check aria-hidden="true">
          {selected ? "✓" : ""}
        </span>
        <Thumb id={item.id} kind={item.kind} hasThumbnail={item.hasThumbnail} className="mini" />
        <ColorDot color={item.colorLabel} />
        <Link to={pages.asset(projectId, item.id)} tabIndex={-1} title={item.name}>
          {item.name}
        </Link>
        <StatusBadge status={item.status} />
      </span>
      <span role="gridcell">{t(`browse.kind.${item.kind}` as MessageKey)}</span>
      <span role="gridcell" className="num">
        {formatBytes(item.size, locale)}
      </span>
      <span role="gridcell" className="num">
        {formatDuration(tech.durationSeconds)}
      </span>
      <span role="gridcell" className="num">
        {formatResolution(tech.width, tech.height)}
      </span>
      <span role="gridcell" className="num">
        {formatFrameRate(tech.frameRate)}
      </span>
      <span role="gridcell">{[tech.videoCodec, tech.audioCodec].filter(Boolean).join(" / ") || "—"}</span>
      <span role="gridcell">{formatDateTime(item.createdAt, locale, timeZone)}</span>
    </div>
  );
}
