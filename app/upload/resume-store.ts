/**
 * What the browser remembers about unfinished multipart uploads, so that the
 * same file added again (after a network error or a page reload) sends only
 * the parts the server does not have. Stored in localStorage: ids and the
 * file's name, size and dates, never its contents.
 */

/** The subset of localStorage used (tests pass a Map-backed one). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export type ResumeRecord = {
  fingerprint: string;
  uploadId: string;
  assetId: string;
  projectId: string;
  /** The Kura folder the file goes into (after its relative path was resolved). */
  folderId: string | null;
  name: string;
  relativePath: string;
  size: number;
  partSize: number;
  partCount: number;
  /** ISO time the server lets the upload live until. */
  expiresAt: string;
  savedAt: string;
};

const KEY = "kura.uploads.v1";
/** Older records than this are dropped whatever the server says (uploads live 7 days). */
const MAX_AGE_MS = 8 * 24 * 3600 * 1000;

/** Identifies a file across page loads: name, size, modification time and where it sat in the dropped folder. */
export function fingerprintOf(file: { name: string; size: number; lastModified?: number }, relativePath: string): string {
  return JSON.stringify([file.name, file.size, file.lastModified ?? 0, relativePath]);
}

/** In-memory store (tests, and browsers where localStorage is unavailable). */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

/** localStorage when it works (private modes and disabled storage throw), else memory. */
export function browserStore(): KeyValueStore {
  try {
    const s = window.localStorage;
    const probe = "kura.probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch {
    return memoryStore();
  }
}

function isRecord(v: unknown): v is ResumeRecord {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.fingerprint === "string" &&
    typeof r.uploadId === "string" &&
    typeof r.projectId === "string" &&
    (r.folderId === null || typeof r.folderId === "string") &&
    typeof r.size === "number" &&
    typeof r.partSize === "number" &&
    typeof r.partCount === "number"
  );
}

export class ResumeStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  all(): ResumeRecord[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.store.getItem(KEY) ?? "[]");
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    const cutoff = this.now() - MAX_AGE_MS;
    return parsed.filter(isRecord).filter((r) => {
      const saved = Date.parse(r.savedAt);
      const expires = Date.parse(r.expiresAt);
      return !(saved < cutoff) && !(expires < this.now());
    });
  }

  forProject(projectId: string): ResumeRecord[] {
    return this.all().filter((r) => r.projectId === projectId);
  }

  find(projectId: string, folderId: string | null, fingerprint: string): ResumeRecord | null {
    return this.all().find((r) => r.projectId === projectId && r.folderId === folderId && r.fingerprint === fingerprint) ?? null;
  }

  save(record: ResumeRecord): void {
    const rest = this.all().filter((r) => r.uploadId !== record.uploadId);
    this.write([...rest, record]);
  }

  forget(uploadId: string): void {
    const all = this.all();
    const rest = all.filter((r) => r.uploadId !== uploadId);
    if (rest.length !== all.length) this.write(rest);
  }

  private write(records: ResumeRecord[]): void {
    try {
      if (records.length === 0) this.store.removeItem(KEY);
      else this.store.setItem(KEY, JSON.stringify(records));
    } catch {
      // Storage full or disabled: resuming after a reload will not work, uploading still does.
    }
  }
}
