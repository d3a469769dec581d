/**
 * Upload panel: a drop zone (files and whole folders), file and folder
 * pickers, one row per file with its progress, and the total. Runs the
 * upload engine (app/upload) against the cookie-authenticated /web/v1
 * mirror of the API (ADR 0012).
 */
import { useEffect, useRef, useState, useSyncExternalStore, type DragEvent, type ReactNode } from "react";
import { MIB } from "~/schemas/assets";
import { useLocale, useT, type T } from "~/i18n/use-t";
import { formatBytes } from "~/components/assets/format";
import type { MessageKey } from "~/i18n/messages";
import { filesFromDataTransfer, filesFromInput } from "~/upload/dropped-files";
import { browserStore } from "~/upload/resume-store";
import { makeThumbnail } from "~/upload/thumbnail";
import { xhrTransport } from "~/upload/transport";
import { Uploader, type Asset, type PickedFile, type UploadItemView, type UploadSnapshot } from "~/upload/uploader";
import "./upload-panel.css";

export type UploadPanelProps = {
  projectId: string;
  /** Where files (and dropped folders) go; null = the project root. */
  folderId: string | null;
  /** Called once per file when its asset exists (thumbnail attached or not). */
  onUploaded?: (asset: Asset) => void;
  /** Inside a container that already shows the title (a <details> summary): keep the heading for screen readers only. */
  headingHidden?: boolean;
};

export const WEB_API_BASE = "/web/v1";

const EMPTY: UploadSnapshot = { items: [], totalBytes: 0, loadedBytes: 0, active: 0 };
const noop = () => () => {};

function percentOf(loaded: number, total: number): number {
  return total > 0 ? Math.floor((loaded / total) * 100) : 0;
}

function errorText(t: T, item: UploadItemView): string {
  const code = item.error?.code ?? "unknown";
  const key: Partial<Record<string, MessageKey>> = {
    invalid_name: "upload.error.invalidName",
    validation_failed: "upload.error.invalidName",
    empty_file: "upload.error.empty",
    too_large: "upload.error.tooLarge",
    quota_exceeded: "upload.error.quota",
    forbidden: "upload.error.forbidden",
    not_found: "upload.error.notFound",
    network: "upload.error.network",
    unauthenticated: "upload.error.signedOut",
  };
  const known = key[code];
  return known ? t(known) : t("upload.error.other", { code });
}

/**
 * A drop target for files and folders. Entries are read from the
 * DataTransfer inside the drop event (it is emptied afterwards).
 */
export function UploadDropZone({ onFiles, disabled, children }: { onFiles: (files: PickedFile[]) => void; disabled?: boolean; children?: ReactNode }) {
  const t = useT();
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const accepts = (e: DragEvent) => !disabled && Array.from(e.dataTransfer.types).includes("Files");
  return (
    <div
      className="upload-drop"
      data-testid="upload-drop"
      data-over={over ? "yes" : "no"}
      onDragEnter={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        if (disabled) return;
        void filesFromDataTransfer(e.dataTransfer).then((files) => {
          if (files.length > 0) onFiles(files);
        });
      }}
    >
      <p className="upload-drop-hint">{over ? t("upload.dropActive") : t("upload.dropHint")}</p>
      {children}
    </div>
  );
}

/**
 * One engine per browser page, shared by every panel: uploads go on while
 * the user moves between folders and projects (the panel unmounts and
 * mounts again), and the global request limit stays global.
 */
let shared: Uploader | null = null;
const uploadedListeners = new Set<(asset: Asset) => void>();

function browserUploader(): Uploader {
  shared ??= new Uploader({
    baseUrl: WEB_API_BASE,
    transport: xhrTransport(),
    storage: browserStore(),
    partSize: 16 * MIB,
    thumbnailer: makeThumbnail,
    onUploaded: (asset) => {
      for (const listener of uploadedListeners) listener(asset);
    },
  });
  return shared;
}

// `webkitdirectory` is not in React's typings; React passes it to the DOM as is.
const directoryAttributes = { webkitdirectory: "", directory: "" } as Record<string, string>;

export function UploadPanel({ projectId, folderId, onUploaded, headingHidden }: UploadPanelProps) {
  const t = useT();
  const locale = useLocale();
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;
  const [uploader, setUploader] = useState<Uploader | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  // The engine lives only in the browser (XHR, localStorage, canvas), once per page.
  useEffect(() => setUploader(browserUploader()), []);
  useEffect(() => {
    const listener = (asset: Asset) => onUploadedRef.current?.(asset);
    uploadedListeners.add(listener);
    return () => void uploadedListeners.delete(listener);
  }, []);

  const snapshot = useSyncExternalStore(uploader?.subscribe ?? noop, uploader?.getSnapshot ?? (() => EMPTY), () => EMPTY);
  const pending = uploader ? uploader.pendingResumes(projectId) : [];
  const add = (files: PickedFile[]) => uploader?.add(files, { projectId, folderId });
  const done = snapshot.items.filter((i) => i.state === "done").length;
  const cancellable = snapshot.items.some((i) => i.state === "queued" || i.state === "uploading");
  const finished = snapshot.items.some((i) => i.state === "done" || i.state === "failed" || i.state === "cancelled");
  const totalPercent = percentOf(snapshot.loadedBytes, snapshot.totalBytes);

  // Leaving the page stops the transfers: ask first (resuming later is possible, but slower).
  const busy = snapshot.active > 0;
  useEffect(() => {
    if (!busy) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [busy]);

  return (
    <section className="card upload-panel" aria-labelledby="upload-heading" data-testid="upload-panel" data-ready={uploader ? "yes" : "no"}>
      <h2 id="upload-heading" className={headingHidden ? "visually-hidden" : undefined}>
        {t("upload.heading")}
      </h2>
      <UploadDropZone onFiles={add} disabled={!uploader}>
        <p className="upload-pickers">
          <span className="muted">{t("upload.or")}</span>{" "}
          <button type="button" disabled={!uploader} onClick={() => filesInput.current?.click()} data-testid="upload-choose-files">
            {t("upload.chooseFiles")}
          </button>{" "}
          <button type="button" disabled={!uploader} onClick={() => folderInput.current?.click()} data-testid="upload-choose-folder">
            {t("upload.chooseFolder")}
          </button>
        </p>
        <p className="muted upload-note">{t("upload.folderKept")}</p>
        <input
          ref={filesInput}
          type="file"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="upload-input-files"
          onChange={(e) => {
            add(filesFromInput(e.currentTarget.files));
            e.currentTarget.value = "";
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          {...directoryAttributes}
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="upload-input-folder"
          onChange={(e) => {
            add(filesFromInput(e.currentTarget.files));
            e.currentTarget.value = "";
          }}
        />
      </UploadDropZone>

      {pending.length > 0 ? (
        <div className="alert alert-warn upload-resume" data-testid="upload-resume-hint">
          <p>{t("upload.resumeHint", { count: pending.length })}</p>
          <ul className="plain-list">
            {pending.map((r) => (
              <li key={r.uploadId} data-testid="upload-resume-item" data-upload-id={r.uploadId}>
                <span className="upload-name">{r.relativePath}</span> <span className="muted">({formatBytes(r.size, locale)})</span>{" "}
                <button type="button" onClick={() => void uploader?.discardPending(r.uploadId)} aria-label={t("upload.discardFile", { name: r.relativePath })}>
                  {t("upload.discard")}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {snapshot.items.length > 0 ? (
        <>
          <div className="upload-total" data-testid="upload-total">
            <label htmlFor="upload-total-bar">{t("upload.totalLabel")}</label>
            <progress id="upload-total-bar" max={100} value={totalPercent} data-testid="upload-total-bar">
              {totalPercent}%
            </progress>
            <span data-testid="upload-total-text">
              {t("upload.total", { loaded: formatBytes(snapshot.loadedBytes, locale), total: formatBytes(snapshot.totalBytes, locale), percent: totalPercent })}
            </span>
            <span className="muted" aria-live="polite" data-testid="upload-summary">
              {t("upload.summary", { done, count: snapshot.items.length })}
            </span>
            <span className="toolbar upload-total-actions">
              {cancellable ? (
                <button type="button" className="danger" onClick={() => uploader?.cancelAll()} data-testid="upload-cancel-all">
                  {t("upload.cancelAll")}
                </button>
              ) : null}
              {finished ? (
                <button type="button" onClick={() => uploader?.clearFinished()} data-testid="upload-clear">
                  {t("upload.clearFinished")}
                </button>
              ) : null}
            </span>
          </div>
          <ul className="upload-list" data-testid="upload-list">
            {snapshot.items.map((item) => (
              <UploadRow key={item.id} item={item} uploader={uploader} t={t} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function UploadRow({ item, uploader, t }: { item: UploadItemView; uploader: Uploader | null; t: T }) {
  const locale = useLocale();
  const percent = item.state === "done" || item.state === "processing" ? 100 : percentOf(item.loaded, item.size);
  const slash = item.relativePath.lastIndexOf("/");
  const folder = slash > 0 ? item.relativePath.slice(0, slash + 1) : "";
  return (
    <li
      className="upload-row"
      data-testid="upload-row"
      data-state={item.state}
      data-name={item.name}
      data-path={item.relativePath}
      data-asset-id={item.assetId ?? undefined}
    >
      <span className="upload-thumb" aria-hidden={item.hasThumbnail ? undefined : "true"}>
        {item.hasThumbnail && item.assetId ? (
          <img
            src={`${WEB_API_BASE}/assets/${encodeURIComponent(item.assetId)}/thumbnail`}
            alt={t("upload.thumbnailAlt", { name: item.name })}
            data-testid="upload-thumbnail"
          />
        ) : null}
      </span>
      <span className="upload-file">
        <span className="upload-name" title={item.relativePath}>
          {folder ? <span className="muted">{folder}</span> : null}
          {item.name}
        </span>
        <span className="muted upload-size">
          {formatBytes(item.size, locale)}
          {item.resumed ? ` · ${t("upload.resumed")}` : ""}
        </span>
      </span>
      <progress className="upload-bar" max={100} value={percent} aria-label={t("upload.fileProgress", { name: item.name })} data-testid="upload-progress">
        {percent}%
      </progress>
      <span className="upload-percent" data-testid="upload-percent">
        {percent}%
      </span>
      <span className="upload-state state" data-state={item.state} data-testid="upload-state">
        {t(`upload.state.${item.state}`)}
      </span>
      <span className="upload-actions">
        {item.state === "queued" || item.state === "uploading" ? (
          <button type="button" onClick={() => uploader?.cancel(item.id)} aria-label={t("upload.cancelFile", { name: item.name })} data-testid="upload-cancel">
            {t("upload.cancel")}
          </button>
        ) : null}
        {item.state === "failed" && item.error?.retryable ? (
          <button type="button" onClick={() => uploader?.retryItem(item.id)} aria-label={t("upload.retryFile", { name: item.name })} data-testid="upload-retry">
            {t("upload.retry")}
          </button>
        ) : null}
      </span>
      {item.state === "failed" && item.error ? (
        <p className="field-error upload-error" role="alert" data-testid="upload-error" data-code={item.error.code}>
          {errorText(t, item)}
        </p>
      ) : null}
    </li>
  );
}
