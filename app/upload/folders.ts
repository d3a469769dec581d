import { DisplayNameSchema } from "~/schemas/assets";
import { HttpError } from "./retry";

export type FolderApi = {
  createFolder(projectId: string, name: string, parentId: string | null): Promise<{ id: string }>;
  listFolders(projectId: string, parentId: string | null, cursor: string | null): Promise<{ items: { id: string; name: string }[]; nextCursor: string | null }>;
};

/**
 * Recreates a dropped folder tree as Kura folders, once per path: each
 * folder is created under its parent (POST), and when a sibling of that name
 * exists already (409) the existing one is found and reused. Paths are
 * cached as promises, so a thousand files in one folder create it once.
 */
export class FolderTree {
  private readonly cache = new Map<string, Promise<string | null>>();

  constructor(private readonly api: FolderApi) {}

  /** The folder id of `segments` below `baseFolderId` (null = project root), creating what is missing. */
  resolve(projectId: string, baseFolderId: string | null, segments: readonly string[]): Promise<string | null> {
    if (segments.length === 0) return Promise.resolve(baseFolderId);
    const key = JSON.stringify([projectId, baseFolderId, ...segments]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = (async () => {
      const parentId = await this.resolve(projectId, baseFolderId, segments.slice(0, -1));
      return this.createOrReuse(projectId, parentId, segments[segments.length - 1]!);
    })();
    this.cache.set(key, pending);
    // A failure is not remembered: a retry tries again.
    pending.catch(() => this.cache.delete(key));
    return pending;
  }

  private async createOrReuse(projectId: string, parentId: string | null, rawName: string): Promise<string> {
    const name = DisplayNameSchema.parse(rawName);
    try {
      return (await this.api.createFolder(projectId, name, parentId)).id;
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409)) throw error;
    }
    let cursor: string | null = null;
    do {
      const page = await this.api.listFolders(projectId, parentId, cursor);
      const found = page.items.find((f) => f.name.normalize("NFC") === name);
      if (found) return found.id;
      cursor = page.nextCursor;
    } while (cursor);
    throw new HttpError(409, "conflict", `A folder named “${name}” exists but could not be found.`);
  }
}
