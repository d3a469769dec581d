/**
 * Files from a drop or a file picker, with their path inside any folder that
 * was dropped or chosen ("Shoot/Day 1/a.mov"; a loose file is just "a.mov").
 */
import type { PickedFile } from "./uploader";

export type { PickedFile };

/** Operating-system litter inside dropped folders, never uploaded. */
const IGNORED = new Set([".DS_Store", "Thumbs.db", "desktop.ini"]);

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** All entries of a directory: readEntries returns them in batches (100 in Chromium) until an empty one. */
async function readAll(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    if (IGNORED.has(entry.name)) return;
    out.push({ file: await fileOf(entry as FileSystemFileEntry), relativePath: path });
  } else if (entry.isDirectory) {
    const children = await readAll(entry as FileSystemDirectoryEntry);
    // Deterministic order (readEntries has none), so rows appear as in a file manager.
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) await walk(child, path, out);
  }
}

/**
 * Everything dropped: files, and folders walked recursively. The entries
 * must be taken from the DataTransfer synchronously, inside the drop event
 * (it is emptied afterwards), so call this first thing in the handler.
 */
export function filesFromDataTransfer(data: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  const items = data.items ? Array.from(data.items) : [];
  for (const item of items) {
    if (item.kind !== "file") continue;
    const entry = typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  // Browsers without DataTransferItem entries: the flat file list.
  if (items.length === 0) loose.push(...Array.from(data.files ?? []));
  return (async () => {
    const out: PickedFile[] = loose.map((file) => ({ file, relativePath: file.name }));
    for (const entry of entries) await walk(entry, "", out);
    return out;
  })();
}

/** From `<input type=file multiple>` or `<input type=file webkitdirectory>` (which sets webkitRelativePath). */
export function filesFromInput(files: FileList | readonly File[] | null): PickedFile[] {
  const out: PickedFile[] = [];
  for (const file of Array.from(files ?? [])) {
    const relativePath = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    if (relativePath !== file.name && IGNORED.has(file.name)) continue;
    out.push({ file, relativePath });
  }
  return out;
}
