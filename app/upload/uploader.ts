/**
 * The browser's upload engine (client code: no server imports).
 *
 * - A queue of files. Files up to `singleRequestMaxBytes` go up in one
 *   request (POST /projects/{p}/assets); larger ones as multipart uploads
 *   (POST /uploads, PUT each part, POST complete).
 * - One global limit on requests in flight (parts, folder creations,
 *   thumbnails alike), and at most as many files active at once.
 * - Progress in bytes per file and in total (XHR upload progress in the
 *   browser, see transport.ts).
 * - Network errors, 5xx, 408 and 429 are retried with exponential backoff
 *   (Retry-After is honoured); other 4xx fail the file at once. A failed
 *   file can be retried by the user; a cancelled one aborts its requests and
 *   DELETEs its upload.
 * - Resume: every multipart upload is remembered in localStorage (ids and
 *   the file's fingerprint). Adding the same file again (after an error or a
 *   reload) asks the server which parts it has and sends only the others.
 * - Dropped folders become Kura folders (folders.ts); after an asset is
 *   created a thumbnail made in the browser is attached (failures ignored).
 */
import type { z } from "zod";
import {
  DisplayNameSchema,
  MAX_ASSET_BYTES,
  MAX_SINGLE_UPLOAD_BYTES,
  MIB,
  type AssetSchema,
  type UploadCreatedSchema,
  type UploadStatusSchema,
} from "~/schemas/assets";
import { FolderTree } from "./folders";
import { Limiter } from "./limiter";
import { fingerprintOf, memoryStore, ResumeStore, type KeyValueStore, type ResumeRecord } from "./resume-store";
import { DEFAULT_RETRY, HttpError, httpErrorOf, sleep as realSleep, withRetry, type RetryPolicy, type Sleep } from "./retry";
import { abortError, isAbortError, type Transport, type TransportRequest } from "./transport";

export type Asset = z.output<typeof AssetSchema>;
type UploadCreated = z.output<typeof UploadCreatedSchema>;
type UploadStatus = z.output<typeof UploadStatusSchema>;

export type UploadState = "queued" | "uploading" | "processing" | "done" | "failed" | "cancelled";

/**
 * Why a file failed. `code` is the API's error code, or one of the engine's
 * own: `invalid_name`, `empty_file`, `too_large`, `network`.
 */
export type UploadError = { code: string; message: string; status: number | null; retryable: boolean };

/** A file to upload, with its path inside a dropped or chosen folder ("Shoot/Day 1/a.mov"; just "a.mov" for a loose file). */
export type PickedFile = { file: File | (Blob & { name: string; lastModified?: number }); relativePath: string };

export type UploadItemView = {
  id: string;
  name: string;
  relativePath: string;
  size: number;
  /** Bytes the server has (or that are on their way, per upload progress). */
  loaded: number;
  state: UploadState;
  error: UploadError | null;
  method: "single" | "multipart";
  /** Continued an upload started earlier (same file, parts already on the server). */
  resumed: boolean;
  assetId: string | null;
  folderId: string | null;
  hasThumbnail: boolean;
};

export type UploadSnapshot = {
  items: readonly UploadItemView[];
  totalBytes: number;
  loadedBytes: number;
  /** Files queued, uploading or processing. */
  active: number;
};

export type Thumbnailer = (file: Blob & { name?: string }) => Promise<Blob | null>;

export type UploaderOptions = {
  /** e.g. "/web/v1" in the browser, "https://host/api/v1" for a bearer client. */
  baseUrl: string;
  /** Sent with every request (e.g. Authorization for the API; nothing for the cookie-based /web/v1). */
  headers?: Record<string, string>;
  transport: Transport;
  /** Where unfinished uploads are remembered (localStorage in the browser). */
  storage?: KeyValueStore;
  /** Requests in flight at most, over all files (default 4). */
  concurrency?: number;
  /** Files up to this size go in one request (default 8 MiB, at most 95 MiB). */
  singleRequestMaxBytes?: number;
  /** Part size asked for multipart uploads (≥ 5 MiB; the server may raise it). Default: the server's. */
  partSize?: number;
  retry?: RetryPolicy;
  sleep?: Sleep;
  thumbnailer?: Thumbnailer;
  onUploaded?: (asset: Asset, item: UploadItemView) => void;
  now?: () => number;
};

type Item = {
  id: string;
  file: PickedFile["file"];
  name: string;
  relativePath: string;
  folderSegments: string[];
  projectId: string;
  baseFolderId: string | null;
  folderId: string | null;
  size: number;
  state: UploadState;
  error: UploadError | null;
  method: "single" | "multipart";
  /** Bytes confirmed by the server. */
  committed: number;
  /** Upload progress of requests in flight, by part number (0 for a one-request upload). */
  inflight: Map<number, number>;
  resumed: boolean;
  uploadId: string | null;
  assetId: string | null;
  hasThumbnail: boolean;
  controller: AbortController | null;
};

const TERMINAL: ReadonlySet<UploadState> = new Set(["done", "failed", "cancelled"]);

let sequence = 0;

export class Uploader {
  private readonly items: Item[] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: UploadSnapshot | null = null;
  private readonly limiter: Limiter;
  private readonly resume: ResumeStore;
  private readonly folders: FolderTree;
  private readonly fileSlots: number;
  private activeFiles = 0;
  private readonly single: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(private readonly options: UploaderOptions) {
    this.limiter = new Limiter(options.concurrency ?? 4);
    this.fileSlots = options.concurrency ?? 4;
    this.resume = new ResumeStore(options.storage ?? memoryStore(), options.now);
    this.single = Math.min(options.singleRequestMaxBytes ?? 8 * MIB, MAX_SINGLE_UPLOAD_BYTES);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? realSleep;
    this.folders = new FolderTree({
      createFolder: (projectId, name, parentId) =>
        this.json<{ id: string }>("POST", `/projects/${enc(projectId)}/folders`, { name, ...(parentId ? { parentId } : {}) }),
      listFolders: (projectId, parentId, cursor) => {
        const q = new URLSearchParams({ limit: "200" });
        if (parentId) q.set("parentId", parentId);
        if (cursor) q.set("cursor", cursor);
        return this.json("GET", `/projects/${enc(projectId)}/folders?${q}`);
      },
    });
  }

  // --- observing -------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): UploadSnapshot => {
    if (!this.snapshot) {
      const items = this.items.map(view);
      const counted = items.filter((i) => i.state !== "cancelled" && !(i.state === "failed" && !i.error?.retryable));
      this.snapshot = {
        items,
        totalBytes: counted.reduce((s, i) => s + i.size, 0),
        loadedBytes: counted.reduce((s, i) => s + i.loaded, 0),
        active: items.filter((i) => !TERMINAL.has(i.state)).length,
      };
    }
    return this.snapshot;
  };

  private changed(): void {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  }

  // --- commands ---------------------------------------------------------------

  /** Queues files for a project folder (null = its root); folders in their relative paths are created below it. */
  add(files: readonly PickedFile[], target: { projectId: string; folderId: string | null }): UploadItemView[] {
    const added: Item[] = [];
    for (const picked of files) {
      const segments = picked.relativePath.split("/").filter((s) => s.length > 0);
      const folderSegments = segments.slice(0, -1);
      const item: Item = {
        id: `u${++sequence}`,
        file: picked.file,
        name: picked.file.name,
        relativePath: picked.relativePath || picked.file.name,
        folderSegments,
        projectId: target.projectId,
        baseFolderId: target.folderId,
        folderId: null,
        size: picked.file.size,
        state: "queued",
        error: null,
        method: picked.file.size <= this.single ? "single" : "multipart",
        committed: 0,
        inflight: new Map(),
        resumed: false,
        uploadId: null,
        assetId: null,
        hasThumbnail: false,
        controller: null,
      };
      const problem = checkFile(item);
      if (problem) {
        item.state = "failed";
        item.error = problem;
      }
      this.items.push(item);
      added.push(item);
    }
    this.changed();
    this.pump();
    return added.map(view);
  }

  /** Stops a file: aborts its requests and cancels its upload on the server. */
  cancel(id: string): void {
    const item = this.items.find((i) => i.id === id);
    if (!item || TERMINAL.has(item.state) || item.state === "processing") return;
    item.state = "cancelled";
    item.inflight.clear();
    // A queued file has nothing on the server; a running one is cleaned up by its run (it knows the upload id).
    item.controller?.abort();
    this.changed();
  }

  cancelAll(): void {
    for (const item of [...this.items]) this.cancel(item.id);
  }

  /** Tries a failed file again (continuing its multipart upload where the server has parts). */
  retryItem(id: string): void {
    const item = this.items.find((i) => i.id === id);
    if (!item || item.state !== "failed" || !item.error?.retryable) return;
    item.state = "queued";
    item.error = null;
    item.inflight.clear();
    this.changed();
    this.pump();
  }

  /** Removes finished, failed and cancelled rows from the list. */
  clearFinished(): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (TERMINAL.has(this.items[i]!.state)) this.items.splice(i, 1);
    this.changed();
  }

  /** Unfinished uploads remembered from earlier (e.g. before a reload) that no row of this page stands for (a failed row has its own Retry). */
  pendingResumes(projectId: string): ResumeRecord[] {
    const live = new Set(this.items.map((i) => i.uploadId));
    return this.resume.forProject(projectId).filter((r) => !live.has(r.uploadId));
  }

  /** Gives up a remembered upload: cancelled on the server and forgotten here. */
  async discardPending(uploadId: string): Promise<void> {
    await this.deleteUpload(uploadId);
    this.resume.forget(uploadId);
    this.changed();
  }

  // --- running ----------------------------------------------------------------

  private pump(): void {
    while (this.activeFiles < this.fileSlots) {
      const next = this.items.find((i) => i.state === "queued");
      if (!next) return;
      this.activeFiles += 1;
      next.state = "uploading";
      next.controller = new AbortController();
      void this.run(next).finally(() => {
        this.activeFiles -= 1;
        this.pump();
      });
    }
  }

  private async run(item: Item): Promise<void> {
    const signal = item.controller!.signal;
    this.changed();
    try {
      const folderId = await this.folders.resolve(item.projectId, item.baseFolderId, item.folderSegments);
      item.folderId = folderId;
      if (signal.aborted) throw abortError();
      const asset = item.method === "single" ? await this.uploadSingle(item, folderId, signal) : await this.uploadMultipart(item, folderId, signal);
      item.assetId = asset.id;
      item.committed = item.size;
      item.inflight.clear();
      item.state = "processing";
      this.changed();
      item.hasThumbnail = await this.attachThumbnail(item, asset);
      item.state = "done";
      this.changed();
      this.options.onUploaded?.(asset, view(item));
    } catch (error) {
      item.inflight.clear();
      if (item.state === "cancelled" || isAbortError(error)) {
        item.state = "cancelled";
        if (item.uploadId) {
          const uploadId = item.uploadId;
          this.resume.forget(uploadId);
          await this.deleteUpload(uploadId);
        }
      } else {
        item.state = "failed";
        item.error = errorOf(error);
      }
      this.changed();
    } finally {
      item.controller = null;
    }
  }

  private async uploadSingle(item: Item, folderId: string | null, signal: AbortSignal): Promise<Asset> {
    const form = new FormData();
    form.append("file", item.file, item.name);
    if (folderId) form.append("folderId", folderId);
    return this.json<Asset>("POST", `/projects/${enc(item.projectId)}/assets`, form, {
      signal,
      onProgress: (loaded) => {
        // The form's framing makes `loaded` a little larger than the file.
        item.inflight.set(0, Math.min(loaded, item.size));
        this.changed();
      },
      onAttemptFailed: () => item.inflight.delete(0),
    });
  }

  private async uploadMultipart(item: Item, folderId: string | null, signal: AbortSignal): Promise<Asset> {
    const fingerprint = fingerprintOf(item.file, item.relativePath);
    let record = this.resume.find(item.projectId, folderId, fingerprint);
    let received = new Set<number>();
    if (record) {
      const status = await this.statusOf(record.uploadId, signal);
      if (
        status &&
        status.status === "open" &&
        status.size === item.size &&
        status.partCount === record.partCount &&
        Date.parse(status.expiresAt) > this.now()
      ) {
        received = new Set(status.receivedParts);
        item.resumed = received.size > 0 || item.resumed;
      } else {
        // Expired, completed, cancelled, unknown, or another file: start again.
        this.resume.forget(record.uploadId);
        record = null;
      }
    }
    if (!record) {
      const created = await this.json<UploadCreated>(
        "POST",
        `/projects/${enc(item.projectId)}/uploads`,
        {
          filename: item.name,
          size: item.size,
          ...(item.file.type ? { contentType: item.file.type } : {}),
          ...(folderId ? { folderId } : {}),
          ...(this.options.partSize ? { partSize: this.options.partSize } : {}),
        },
        { signal },
      );
      record = {
        fingerprint,
        uploadId: created.uploadId,
        assetId: created.assetId,
        projectId: item.projectId,
        folderId,
        name: item.name,
        relativePath: item.relativePath,
        size: item.size,
        partSize: created.partSize,
        partCount: created.partCount,
        expiresAt: created.expiresAt,
        savedAt: new Date(this.now()).toISOString(),
      };
      this.resume.save(record);
    }
    item.uploadId = record.uploadId;
    if (signal.aborted) throw abortError();
    const partLength = (n: number) => Math.min(record.size, n * record.partSize) - (n - 1) * record.partSize;
    item.committed = [...received].reduce((s, n) => s + partLength(n), 0);
    this.changed();

    const missing: number[] = [];
    for (let n = 1; n <= record.partCount; n++) if (!received.has(n)) missing.push(n);
    await this.sendParts(item, record, missing, signal);

    try {
      return await this.complete(item, record, signal);
    } catch (error) {
      // The server lost or refused some parts: send those again, once.
      const again = error instanceof HttpError && error.status === 409 ? missingPartsOf(error) : [];
      if (again.length === 0) throw error;
      item.committed -= again.reduce((s, n) => s + partLength(n), 0);
      await this.sendParts(item, record, again, signal);
      return this.complete(item, record, signal);
    }
  }

  /**
   * Sends parts through the global limiter. When one part fails for good, the
   * parts still waiting for a slot are not started, but those on the wire
   * finish (their bytes count for a resume); then the first error is thrown.
   */
  private async sendParts(item: Item, record: ResumeRecord, parts: number[], signal: AbortSignal): Promise<void> {
    const stopStarting = new AbortController();
    const stop = () => stopStarting.abort();
    signal.addEventListener("abort", stop, { once: true });
    let first: unknown = null;
    try {
      await Promise.all(
        parts.map(async (n) => {
          try {
            await this.sendPart(item, record, n, signal, stopStarting.signal);
          } catch (error) {
            first ??= error;
            stopStarting.abort();
          }
        }),
      );
    } finally {
      signal.removeEventListener("abort", stop);
    }
    if (first !== null) throw signal.aborted ? abortError() : first;
  }

  private async sendPart(item: Item, record: ResumeRecord, n: number, signal: AbortSignal, startSignal: AbortSignal): Promise<void> {
    const start = (n - 1) * record.partSize;
    const end = Math.min(record.size, start + record.partSize);
    const body = item.file.slice(start, end);
    await this.json("PUT", `/uploads/${enc(record.uploadId)}/parts/${n}`, body, {
      signal,
      startSignal,
      contentType: "application/octet-stream",
      onProgress: (loaded) => {
        item.inflight.set(n, Math.min(loaded, end - start));
        this.changed();
      },
      onAttemptFailed: () => item.inflight.delete(n),
    });
    item.inflight.delete(n);
    item.committed += end - start;
    this.changed();
  }

  private async complete(item: Item, record: ResumeRecord, signal: AbortSignal): Promise<Asset> {
    try {
      const asset = await this.json<Asset>("POST", `/uploads/${enc(record.uploadId)}/complete`, undefined, { signal });
      this.resume.forget(record.uploadId);
      return asset;
    } catch (error) {
      // A retried complete whose first attempt did arrive: the asset exists.
      if (error instanceof HttpError && error.status === 409 && missingPartsOf(error).length === 0) {
        const status = await this.statusOf(record.uploadId, signal);
        if (status?.status === "completed") {
          this.resume.forget(record.uploadId);
          return this.json<Asset>("GET", `/assets/${enc(record.assetId)}`, undefined, { signal });
        }
      }
      throw error;
    }
  }

  /** GET /uploads/{id}, or null when the server no longer knows it. */
  private async statusOf(uploadId: string, signal: AbortSignal): Promise<UploadStatus | null> {
    try {
      return await this.json<UploadStatus>("GET", `/uploads/${enc(uploadId)}`, undefined, { signal });
    } catch (error) {
      if (error instanceof HttpError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) return null;
      throw error;
    }
  }

  private async deleteUpload(uploadId: string): Promise<void> {
    try {
      await this.json("DELETE", `/uploads/${enc(uploadId)}`, undefined, { policy: { ...this.retry, retries: Math.min(this.retry.retries, 2) } });
    } catch {
      // Already gone, completed, or unreachable: an unfinished upload expires on the server after a day without parts.
    }
  }

  private async attachThumbnail(item: Item, asset: Asset): Promise<boolean> {
    const make = this.options.thumbnailer;
    if (!make) return false;
    try {
      const image = await make(item.file);
      if (!image) return false;
      await this.json("PUT", `/assets/${enc(asset.id)}/thumbnail`, image, {
        contentType: image.type || "image/jpeg",
        policy: { ...this.retry, retries: Math.min(this.retry.retries, 1) },
      });
      return true;
    } catch {
      // Never fails the upload: the asset is there, just without a picture.
      return false;
    }
  }

  // --- HTTP ---------------------------------------------------------------------

  private async json<T>(
    method: TransportRequest["method"],
    path: string,
    body?: unknown,
    p: {
      /** Aborts the request (the user cancelled). */
      signal?: AbortSignal;
      /** Stops waiting for a slot and retrying, without aborting a request on the wire. */
      startSignal?: AbortSignal;
      contentType?: string;
      onProgress?: (loaded: number) => void;
      onAttemptFailed?: () => void;
      policy?: RetryPolicy;
    } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...this.options.headers };
    let payload: TransportRequest["body"] = null;
    if (body instanceof Blob || body instanceof FormData) {
      payload = body;
      if (p.contentType) headers["Content-Type"] = p.contentType;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    const gate = p.startSignal ? anySignal(p.signal, p.startSignal) : p.signal;
    const response = await withRetry(
      () =>
        this.limiter.run(async () => {
          try {
            const res = await this.options.transport({
              method,
              url: this.options.baseUrl + path,
              headers,
              body: payload,
              signal: p.signal,
              onUploadProgress: p.onProgress,
            });
            if (res.status >= 400) throw httpErrorOf(res);
            return res;
          } catch (error) {
            p.onAttemptFailed?.();
            throw error;
          }
        }, gate),
      { policy: p.policy ?? this.retry, sleep: this.sleep, signal: gate },
    );
    if (response.status === 204 || response.text.length === 0) return undefined as T;
    return JSON.parse(response.text) as T;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** Aborted when any of the signals is. */
function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  const controller = new AbortController();
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort();
      break;
    }
    signal.addEventListener("abort", () => controller.abort(), { once: true });
  }
  return controller.signal;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function view(item: Item): UploadItemView {
  let inflight = 0;
  for (const v of item.inflight.values()) inflight += v;
  return {
    id: item.id,
    name: item.name,
    relativePath: item.relativePath,
    size: item.size,
    loaded: Math.min(item.size, item.committed + inflight),
    state: item.state,
    error: item.error,
    method: item.method,
    resumed: item.resumed,
    assetId: item.assetId,
    folderId: item.folderId,
    hasThumbnail: item.hasThumbnail,
  };
}

/** Checked before anything is sent: names (the file's and its folders'), emptiness, size. */
function checkFile(item: Item): UploadError | null {
  for (const name of [...item.folderSegments, item.name]) {
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) {
      return { code: "invalid_name", message: parsed.error.issues[0]?.message ?? "Invalid name.", status: null, retryable: false };
    }
  }
  if (item.size === 0) return { code: "empty_file", message: "Empty files cannot be uploaded.", status: null, retryable: false };
  if (item.size > MAX_ASSET_BYTES)
    return { code: "too_large", message: "This file is larger than the largest upload Kura accepts.", status: null, retryable: false };
  return null;
}

function missingPartsOf(error: HttpError): number[] {
  const details = error.details as { missingParts?: unknown } | undefined;
  return Array.isArray(details?.missingParts) ? details.missingParts.filter((n): n is number => typeof n === "number") : [];
}

function errorOf(error: unknown): UploadError {
  if (error instanceof HttpError) {
    // A retry can help when the server or network hiccuped, or the session came back; not for refusals by rule.
    const final = ["quota_exceeded", "validation_failed", "too_large", "forbidden", "not_found", "bad_request"].includes(error.code);
    return { code: error.code, message: error.message, status: error.status, retryable: !final };
  }
  if (error instanceof TypeError) return { code: "network", message: "The connection failed.", status: null, retryable: true };
  if (error && typeof error === "object" && "issues" in error) {
    return { code: "invalid_name", message: "Invalid folder name.", status: null, retryable: false };
  }
  return { code: "unknown", message: error instanceof Error ? error.message : String(error), status: null, retryable: true };
}
