import { describe, expect, it } from "vitest";
import { filesFromDataTransfer, filesFromInput } from "~/upload/dropped-files";
import { Limiter } from "~/upload/limiter";
import { fingerprintOf, memoryStore, ResumeStore, type ResumeRecord } from "~/upload/resume-store";
import { backoffMs, HttpError, isRetryable, retryAfterMs, withRetry } from "~/upload/retry";
import { fitWithin, posterTime } from "~/upload/thumbnail";

/** The upload engine's pure parts (no Worker needed; they run in workerd like the rest). */

// --- a fake file system, as DataTransferItem.webkitGetAsEntry exposes it ----------

type FakeEntry = {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  fullPath: string;
  file?: (ok: (f: File) => void) => void;
  createReader?: () => { readEntries: (ok: (e: FakeEntry[]) => void) => void };
};

function fileEntry(dir: string, name: string, content = name): FakeEntry {
  return { name, isFile: true, isDirectory: false, fullPath: `${dir}/${name}`, file: (ok) => ok(new File([content], name)) };
}

/** A directory whose reader hands out `batch` entries per call, like Chromium's 100. */
function dirEntry(dir: string, name: string, children: (path: string) => FakeEntry[], batch = 2): FakeEntry {
  const path = `${dir}/${name}`;
  return {
    name,
    isFile: false,
    isDirectory: true,
    fullPath: path,
    createReader: () => {
      const all = children(path);
      let at = 0;
      return {
        readEntries: (ok) => {
          const next = all.slice(at, at + batch);
          at += batch;
          setTimeout(() => ok(next), 0);
        },
      };
    },
  };
}

function dataTransferOf(entries: (FakeEntry | File)[]): DataTransfer {
  return {
    items: entries.map((e) =>
      e instanceof File
        ? { kind: "file", webkitGetAsEntry: (): FakeEntry | null => null, getAsFile: (): File | null => e }
        : { kind: "file", webkitGetAsEntry: (): FakeEntry | null => e, getAsFile: (): File | null => null },
    ),
    files: [],
  } as unknown as DataTransfer;
}

describe("dropped files", () => {
  it("walks dropped folders recursively, reading every batch of entries, keeping relative paths", async () => {
    const shoot = dirEntry("", "Shoot", (p) => [
      fileEntry(p, "c.mov"),
      fileEntry(p, "a.mov"),
      fileEntry(p, ".DS_Store"),
      dirEntry(p, "Day 2", (q) => [fileEntry(q, "x.wav"), fileEntry(q, "y.wav"), fileEntry(q, "z.wav")]),
      fileEntry(p, "b.mov"),
    ]);
    const loose = new File(["l"], "loose.jpg");
    const picked = await filesFromDataTransfer(dataTransferOf([shoot, loose]));
    expect(picked.map((p) => p.relativePath)).toEqual([
      "loose.jpg",
      "Shoot/a.mov",
      "Shoot/b.mov",
      "Shoot/c.mov",
      "Shoot/Day 2/x.wav",
      "Shoot/Day 2/y.wav",
      "Shoot/Day 2/z.wav",
    ]);
    expect(picked.every((p) => p.file instanceof File)).toBe(true);
  });

  it("takes webkitRelativePath from folder pickers and the plain name otherwise", () => {
    const inFolder = new File(["1"], "a.mov");
    Object.defineProperty(inFolder, "webkitRelativePath", { value: "Shoot/Day 1/a.mov" });
    const junk = new File(["1"], ".DS_Store");
    Object.defineProperty(junk, "webkitRelativePath", { value: "Shoot/.DS_Store" });
    const plain = new File(["2"], "b.jpg");
    expect(filesFromInput([inFolder, junk, plain]).map((p) => p.relativePath)).toEqual(["Shoot/Day 1/a.mov", "b.jpg"]);
  });
});

describe("limiter and retries", () => {
  it("never runs more than the limit and runs everything", async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let max = 0;
    const done = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limiter.run(async () => {
          running += 1;
          max = Math.max(max, running);
          await new Promise((r) => setTimeout(r, 2));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(max).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it("classifies errors: network, 5xx, 408 and 429 retry; other 4xx and aborts do not", () => {
    expect(isRetryable(new TypeError("Failed to fetch"))).toBe(true);
    expect(isRetryable(new HttpError(503, "service_unavailable", ""))).toBe(true);
    expect(isRetryable(new HttpError(408, "http_408", ""))).toBe(true);
    expect(isRetryable(new HttpError(429, "rate_limited", ""))).toBe(true);
    expect(isRetryable(new HttpError(403, "quota_exceeded", ""))).toBe(false);
    expect(isRetryable(new HttpError(409, "conflict", ""))).toBe(false);
    expect(isRetryable(new DOMException("x", "AbortError"))).toBe(false);
  });

  it("reads Retry-After as seconds or a date, and backs off exponentially otherwise", () => {
    expect(retryAfterMs("12")).toBe(12_000);
    expect(retryAfterMs(new Date(1_000_000 + 5_000).toUTCString(), 1_000_000)).toBe(5_000);
    expect(retryAfterMs("soon")).toBeNull();
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(policy, n, new TypeError(), () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(policy, 0, new TypeError(), () => 0)).toBe(50);
    expect(backoffMs(policy, 0, new HttpError(429, "rate_limited", "", 30_000))).toBe(30_000);
  });

  it("gives up after the retries, and at once on a final error", async () => {
    let calls = 0;
    const policy = { retries: 3, baseDelayMs: 1, maxDelayMs: 1 };
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new TypeError("down");
        },
        { policy, sleep: async () => {} },
      ),
    ).rejects.toThrow("down");
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new HttpError(400, "bad_request", "no");
        },
        { policy, sleep: async () => {} },
      ),
    ).rejects.toThrow("no");
    expect(calls).toBe(1);
  });
});

describe("resume store", () => {
  const record = (over: Partial<ResumeRecord> = {}): ResumeRecord => ({
    fingerprint: fingerprintOf({ name: "a.mov", size: 10, lastModified: 5 }, "Shoot/a.mov"),
    uploadId: "upl_1",
    assetId: "ast_1",
    projectId: "prj_1",
    folderId: "fol_1",
    name: "a.mov",
    relativePath: "Shoot/a.mov",
    size: 10,
    partSize: 5,
    partCount: 2,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    savedAt: new Date().toISOString(),
    ...over,
  });

  it("finds a file by project, folder and fingerprint; forgets; drops expired records and garbage", () => {
    const storage = memoryStore();
    const store = new ResumeStore(storage);
    store.save(record());
    store.save(record({ uploadId: "upl_2", expiresAt: new Date(Date.now() - 1).toISOString() }));
    expect(store.find("prj_1", "fol_1", record().fingerprint)?.uploadId).toBe("upl_1");
    expect(store.find("prj_1", null, record().fingerprint)).toBeNull();
    expect(store.find("prj_1", "fol_1", fingerprintOf({ name: "a.mov", size: 10, lastModified: 6 }, "Shoot/a.mov"))).toBeNull();
    expect(store.forProject("prj_1").map((r) => r.uploadId)).toEqual(["upl_1"]);
    store.forget("upl_1");
    expect(store.all()).toEqual([]);
    storage.setItem("kura.uploads.v1", "{not json");
    expect(new ResumeStore(storage).all()).toEqual([]);
  });

  it("fingerprints differ by name, size, modification time and relative path", () => {
    const base = fingerprintOf({ name: "a.mov", size: 1, lastModified: 1 }, "A/a.mov");
    expect(fingerprintOf({ name: "a.mov", size: 1, lastModified: 1 }, "B/a.mov")).not.toBe(base);
    expect(fingerprintOf({ name: "a.mov", size: 2, lastModified: 1 }, "A/a.mov")).not.toBe(base);
    expect(fingerprintOf({ name: "a.mov", size: 1, lastModified: 2 }, "A/a.mov")).not.toBe(base);
  });
});

describe("thumbnail geometry", () => {
  it("fits the long side within 480 px and never enlarges", () => {
    expect(fitWithin(1920, 1080)).toEqual({ width: 480, height: 270 });
    expect(fitWithin(1080, 1920)).toEqual({ width: 270, height: 480 });
    expect(fitWithin(320, 180)).toEqual({ width: 320, height: 180 });
  });

  it("takes the poster frame at one second, or 10 % of a shorter clip", () => {
    expect(posterTime(120)).toBe(1);
    expect(posterTime(5)).toBe(0.5);
    expect(posterTime(Number.NaN)).toBe(0);
  });
});
