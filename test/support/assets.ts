/** Asset helpers for integration tests: uploads through the public API, as a client would. */
import { call } from "./http";
import { expectJson } from "./world";

export type AssetBody = {
  id: string;
  projectId: string;
  folderId: string | null;
  name: string;
  size: number;
  contentType: string;
  kind: string;
  status: "processing" | "ready" | "failed";
  problem: string | null;
  sha256: string | null;
  tags: string[];
  colorLabel: string | null;
  metadata: Record<string, unknown>;
  technical: Record<string, unknown>;
  hasThumbnail: boolean;
  createdAt: string;
};

export function smallUpload(token: string, projectId: string, name: string, bytes: Uint8Array<ArrayBuffer> | string, options: { folderId?: string; type?: string } = {}) {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type: options.type ?? "application/octet-stream" }));
  if (options.folderId) form.set("folderId", options.folderId);
  return call(`/api/v1/projects/${projectId}/assets`, { method: "POST", token, body: form });
}

export async function uploadAsset(token: string, projectId: string, name: string, bytes: Uint8Array<ArrayBuffer> | string, options: { folderId?: string; type?: string } = {}) {
  return expectJson<AssetBody>(smallUpload(token, projectId, name, bytes, options), 201);
}

/** Polls until processing has finished (the queue consumer runs after about a second). */
export async function waitProcessed(token: string, assetId: string, timeoutMs = 20_000): Promise<AssetBody> {
  const started = Date.now();
  for (;;) {
    const asset = await expectJson<AssetBody>(call(`/api/v1/assets/${assetId}`, { token }), 200);
    if (asset.status !== "processing") return asset;
    if (Date.now() - started > timeoutMs) throw new Error(`asset ${assetId} still processing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Deterministic pseudo-random bytes (xorshift), so that content is not compressible or repetitive. */
export function pseudoRandomBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
