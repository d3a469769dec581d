import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fetchTransport, type Transport, type TransportRequest } from "~/upload/transport";
import { memoryStore, ResumeStore, type KeyValueStore } from "~/upload/resume-store";
import { Uploader, type UploaderOptions, type UploadSnapshot } from "~/upload/uploader";
import { MIB } from "~/schemas/assets";
import { ORIGIN, operator } from "../../support/http";
import { api, createProject, createTenantWithAdmin, login, setupPassword, STRONG_PASSWORD, unique } from "../../support/identity";

/**
 * The browser's upload engine (app/upload) run inside workerd against the
 * real Worker, as an API client with a bearer session and a fetch transport.
 */

const BASE = `${ORIGIN}/api/v1`;
const PART = 5 * MIB;

/** Deterministic bytes (no two parts alike, so a misplaced part changes the hash). */
function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(size));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
    out[i + 1] = (x >>> 8) & 0xff;
    out[i + 2] = (x >>> 16) & 0xff;
    out[i + 3] = (x >>> 24) & 0xff;
  }
  return out;
}

async function sha256(data: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const worker = fetchTransport((url, init) => SELF.fetch(url, init));

type Sent = { method: string; path: string };

/** Records every request; `fail` may turn one into a network error before it leaves. */
function recording(inner: Transport, fail?: (req: TransportRequest, sent: Sent[]) => boolean) {
  const sent: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = async (req) => {
    const entry = { method: req.method, path: new URL(req.url).pathname.replace(/^\/api\/v1/, "") };
    if (fail?.(req, sent)) throw new TypeError("Network connection lost.");
    sent.push(entry);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      // Let other requests start, so concurrency is visible.
      await new Promise((r) => setTimeout(r, 5));
      return await inner(req);
    } finally {
      inFlight -= 1;
    }
  };
  return {
    transport,
    sent,
    get maxInFlight() {
      return maxInFlight;
    },
    partsSent: () =>
      sent
        .map((s) => (s.method === "PUT" ? /\/parts\/(\d+)$/.exec(s.path)?.[1] : undefined))
        .filter((n): n is string => n !== undefined)
        .map(Number)
        .sort((a, b) => a - b),
  };
}

function uploader(token: string, transport: Transport, storage: KeyValueStore, extra: Partial<UploaderOptions> = {}) {
  return new Uploader({
    baseUrl: BASE,
    headers: { Authorization: `Bearer ${token}` },
    transport,
    storage,
    partSize: PART,
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async () => {},
    ...extra,
  });
}

/** Resolves when no file is queued, uploading or processing. */
function settled(u: Uploader, timeoutMs = 60_000): Promise<UploadSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`uploads did not settle: ${JSON.stringify(u.getSnapshot().items.map((i) => [i.name, i.state]))}`)),
      timeoutMs,
    );
    const check = () => {
      const s = u.getSnapshot();
      if (s.active === 0) {
        clearTimeout(timer);
        unsubscribe();
        resolve(s);
      }
    };
    const unsubscribe = u.subscribe(check);
    check();
  });
}

async function download(token: string, assetId: string): Promise<ArrayBuffer> {
  const res = await SELF.fetch(`${BASE}/assets/${assetId}/original`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.arrayBuffer();
}

describe("upload engine against the Worker", () => {
  it("resumes a multipart upload after a network failure with a new instance (a reload), sending only the missing parts", async () => {
    const { admin } = await createTenantWithAdmin();
    const project = await createProject(admin.token);
    const size = 12 * MIB + 12_345;
    const bytes = bytesOf(size, 42);
    const expected = await sha256(bytes);
    const lastModified = 1_767_225_600_000;
    const storage = memoryStore(); // localStorage, surviving the "reload"
    const pick = () => [
      { file: new File([bytes], "インタビュー_01.mov", { type: "video/quicktime", lastModified }), relativePath: "Day 1/インタビュー_01.mov" },
    ];

    // First page: part 1 arrives, then the network goes away for every further part.
    let partsAllowed = 1;
    const first = recording(worker, (req) => {
      if (req.method !== "PUT") return false;
      if (partsAllowed > 0) {
        partsAllowed -= 1;
        return false;
      }
      return true;
    });
    const before = uploader(admin.token, first.transport, storage);
    before.add(pick(), { projectId: project.id, folderId: null });
    const failed = await settled(before);
    expect(failed.items[0]).toMatchObject({ state: "failed", method: "multipart", error: { code: "network", retryable: true } });
    expect(first.partsSent()).toEqual([1]);
    expect(failed.items[0]!.loaded).toBe(PART);
    const remembered = new ResumeStore(storage).all();
    expect(remembered).toHaveLength(1);
    expect(remembered[0]).toMatchObject({ projectId: project.id, size, partSize: PART, partCount: 3, relativePath: "Day 1/インタビュー_01.mov" });
    const uploadId = remembered[0]!.uploadId;
    const status = await api<{ receivedParts: number[]; status: string }>(`/uploads/${uploadId}`, { token: admin.token });
    expect(status.body).toMatchObject({ receivedParts: [1], status: "open" });

    // After the reload: a new engine, the same file chosen again.
    const second = recording(worker);
    const uploaded: string[] = [];
    const after = uploader(admin.token, second.transport, storage, { onUploaded: (asset) => uploaded.push(asset.id) });
    after.add(pick(), { projectId: project.id, folderId: null });
    const done = await settled(after);
    expect(done.items[0]).toMatchObject({ state: "done", resumed: true, loaded: size, error: null });
    expect(second.partsSent()).toEqual([2, 3]);
    expect(second.sent.some((s) => s.method === "POST" && s.path.endsWith("/uploads"))).toBe(false);
    expect(second.sent.some((s) => s.method === "GET" && s.path === `/uploads/${uploadId}`)).toBe(true);
    expect(new ResumeStore(storage).all()).toEqual([]);
    expect(uploaded).toHaveLength(1);

    // The folder of the relative path was created once and reused (409, then found).
    const folders = await api<{ items: { id: string; name: string }[] }>(`/projects/${project.id}/folders`, { token: admin.token });
    expect(folders.body.items.map((f) => f.name)).toEqual(["Day 1"]);
    const asset = await api<{ folderId: string; name: string; size: number }>(`/assets/${uploaded[0]}`, { token: admin.token });
    expect(asset.body).toMatchObject({ folderId: folders.body.items[0]!.id, name: "インタビュー_01.mov", size });

    // The bytes stored are the bytes chosen.
    expect(await sha256(await download(admin.token, uploaded[0]!))).toBe(expected);
  });

  it("never has more requests in flight than the limit, over many files and parts", async () => {
    const { admin } = await createTenantWithAdmin();
    const project = await createProject(admin.token);
    const rec = recording(worker);
    const u = uploader(admin.token, rec.transport, memoryStore(), { concurrency: 3 });
    const files = [
      { file: new File([bytesOf(11 * MIB, 1)], "a.bin"), relativePath: "Shoot/A/a.bin" },
      { file: new File([bytesOf(11 * MIB, 2)], "b.bin"), relativePath: "Shoot/B/b.bin" },
      ...Array.from({ length: 8 }, (_, i) => ({
        file: new File([bytesOf(1000 + i, 10 + i)], `s${i}.txt`, { type: "text/plain" }),
        relativePath: `Shoot/s${i}.txt`,
      })),
    ];
    u.add(files, { projectId: project.id, folderId: null });
    const s = await settled(u);
    expect(s.items.map((i) => i.state)).toEqual(files.map(() => "done"));
    expect(s.loadedBytes).toBe(s.totalBytes);
    expect(rec.maxInFlight).toBeLessThanOrEqual(3);
    expect(rec.maxInFlight).toBe(3); // and it does use the parallelism
    expect(rec.partsSent()).toEqual([1, 1, 2, 2, 3, 3]);
    // "Shoot" was created once though ten files needed it.
    expect(rec.sent.filter((r) => r.method === "POST" && r.path.endsWith("/folders"))).toHaveLength(3);
  });

  it("retries 5xx and 429 (honouring Retry-After) but not other 4xx; cancels delete the upload", async () => {
    const { admin } = await createTenantWithAdmin();
    const project = await createProject(admin.token);
    const waits: number[] = [];
    let flaky = 2;
    const transport: Transport = async (req) => {
      if (req.method === "PUT" && flaky > 0) {
        flaky -= 1;
        return flaky === 1
          ? { status: 503, header: (n) => (n.toLowerCase() === "retry-after" ? "7" : null), text: "" }
          : { status: 429, header: () => null, text: JSON.stringify({ error: { code: "rate_limited", message: "slow" } }) };
      }
      return worker(req);
    };
    const u = uploader(admin.token, transport, memoryStore(), {
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms) => void waits.push(ms),
    });
    u.add([{ file: new File([bytesOf(11 * MIB, 5)], "clip.mp4", { type: "video/mp4" }), relativePath: "clip.mp4" }], { projectId: project.id, folderId: null });
    const s = await settled(u);
    expect(s.items[0]!.state).toBe("done");
    expect(waits).toContain(7000); // Retry-After: 7
    expect(waits).toHaveLength(2);

    // An invalid name is refused before anything is sent.
    const rec = recording(worker);
    const v = uploader(admin.token, rec.transport, memoryStore());
    v.add([{ file: new File(["x"], "bad\u202Egnp.exe"), relativePath: "bad\u202Egnp.exe" }], { projectId: project.id, folderId: null });
    expect(v.getSnapshot().items[0]).toMatchObject({ state: "failed", error: { code: "invalid_name", retryable: false } });
    expect(rec.sent).toEqual([]);

    // A 4xx is final: one request, no retry (a project the caller cannot see).
    const w = uploader(admin.token, rec.transport, memoryStore());
    w.add([{ file: new File(["hello"], "a.txt"), relativePath: "a.txt" }], { projectId: "prj_aaaaaaaaaaaaaaaaaaaaaaaaaa", folderId: null });
    const refused = await settled(w);
    expect(refused.items[0]).toMatchObject({ state: "failed", error: { status: 404 } });
    expect(rec.sent).toHaveLength(1);

    // Cancel mid-way: in-flight parts are aborted and the upload is DELETEd on the server.
    const storage = memoryStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: Transport = async (req) => {
      if (req.method === "PUT") {
        await Promise.race([gate, new Promise((_, reject) => req.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))]);
      }
      return worker(req);
    };
    const x = uploader(admin.token, slow, storage);
    const [row] = x.add([{ file: new File([bytesOf(11 * MIB, 9)], "long.mov"), relativePath: "long.mov" }], { projectId: project.id, folderId: null });
    await new Promise<void>((resolve) => {
      const off = x.subscribe(() => {
        if (new ResumeStore(storage).all().length === 1) {
          off();
          resolve();
        }
      });
    });
    const uploadId = new ResumeStore(storage).all()[0]!.uploadId;
    x.cancel(row!.id);
    const cancelled = await settled(x);
    release();
    expect(cancelled.items[0]!.state).toBe("cancelled");
    // The row turns "cancelled" at once; the DELETE follows when the aborted requests have unwound.
    await expect.poll(async () => (await api<{ status: string }>(`/uploads/${uploadId}`, { token: admin.token })).body.status).toBe("aborted");
    expect(new ResumeStore(storage).all()).toEqual([]);
  });

  it("shows quota_exceeded for the file that does not fit, and uploads the others", async () => {
    const slug = unique("quota");
    const adminEmail = `admin@${slug}.example.test`;
    const created = await operator("/api/v1/operator/tenants", { method: "POST", json: { slug, name: "Quota", adminEmail, storageQuotaBytes: 2 * MIB } });
    expect(created.status).toBe(201);
    const { adminSetupToken } = (await created.json()) as { adminSetupToken: string };
    expect((await setupPassword(adminSetupToken, STRONG_PASSWORD)).status).toBe(200);
    const { token } = await login({ tenant: slug, email: adminEmail, password: STRONG_PASSWORD });
    const project = await createProject(token);
    const rec = recording(worker);
    const u = uploader(token, rec.transport, memoryStore());
    u.add(
      [
        { file: new File([bytesOf(1 * MIB, 3)], "fits.jpg", { type: "image/jpeg" }), relativePath: "fits.jpg" },
        { file: new File([bytesOf(9 * MIB, 4)], "too-big.mov", { type: "video/quicktime" }), relativePath: "too-big.mov" },
      ],
      { projectId: project.id, folderId: null },
    );
    const s = await settled(u);
    const byName = Object.fromEntries(s.items.map((i) => [i.name, i]));
    expect(byName["fits.jpg"]!.state).toBe("done");
    expect(byName["too-big.mov"]).toMatchObject({ state: "failed", error: { code: "quota_exceeded", status: 403, retryable: false } });
    // Refused at creation: not retried, no part sent.
    expect(rec.sent.filter((r) => r.method === "POST" && r.path.endsWith("/uploads"))).toHaveLength(1);
    expect(rec.partsSent()).toEqual([]);
  });
});
