/** Asset helpers for integration tests: uploads through the public API, as a client would. */
import { env } from "cloudflare:test";
import { kura } from "./http";
import type { UploadOptions } from "./kura-client";

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
  problemCode: string | null;
  sha256: string | null;
  tags: string[];
  colorLabel: string | null;
  metadata: Record<string, unknown>;
  technical: Record<string, unknown>;
  hasThumbnail: boolean;
  createdAt: string;
};

export function smallUpload(token: string, projectId: string, name: string, bytes: Uint8Array<ArrayBuffer> | string, options: UploadOptions = {}) {
  return kura.upload(token, projectId, name, bytes, options);
}

export function uploadAsset(token: string, projectId: string, name: string, bytes: Uint8Array<ArrayBuffer> | string, options: UploadOptions = {}) {
  return kura.uploadAsset<AssetBody>(token, projectId, name, bytes, options);
}

/** Polls until processing has finished (the queue consumer runs after about a second). */
export function waitProcessed(token: string, assetId: string, timeoutMs = 20_000): Promise<AssetBody> {
  return kura.waitProcessed<AssetBody>(token, assetId, timeoutMs);
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

import { pseudoRandomBytes } from "./generated";

/** A file of test/fixtures/media (reaches workerd as the TEST_MEDIA_FIXTURES binding, see vitest.config.ts). */
export function mediaFixture(name: string): Uint8Array<ArrayBuffer> {
  const b64 = env.TEST_MEDIA_FIXTURES[name];
  if (b64 === undefined) throw new Error(`no media fixture ${name}`);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export { pseudoRandomBytes };

/**
 * Seeds `count` ready assets straight into the tenant's shard and R2 (the rows
 * an upload leaves: asset, tag rows, usage; the original object, and a
 * thumbnail for every fifth), much faster than `count` uploads. For tests
 * whose subject is what happens to many assets afterwards, never their upload.
 */
export async function seedAssets(
  shard: D1Database,
  bucket: R2Bucket,
  target: { tenantId: string; projectId: string },
  count: number,
): Promise<{ id: string; size: number }[]> {
  const { tenantId, projectId } = target;
  const made = Array.from({ length: count }, (_, i) => {
    const random = crypto.getRandomValues(new Uint8Array(26));
    const id = `ast_${[...random].map((b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;
    return { id, size: 10 + (i % 50), name: `seed_${String(i).padStart(4, "0")}.bin` };
  });
  const now = new Date().toISOString();
  for (let i = 0; i < made.length; i += 200) {
    const rows = JSON.stringify(made.slice(i, i + 200));
    await shard.batch([
      shard
        .prepare(
          `INSERT INTO assets (id, tenant_id, project_id, name, name_key, size, content_type, kind, status, sha256, etag, tags, search_text, created_at, updated_at, processed_at)
           SELECT json_extract(value, '$.id'), ?1, ?2, json_extract(value, '$.name'), json_extract(value, '$.name'), json_extract(value, '$.size'),
                  'application/octet-stream', 'other', 'ready', 'seeded', 'seeded', '["seeded"]', json_extract(value, '$.name'), ?3, ?3, ?3
           FROM json_each(?4)`,
        )
        .bind(tenantId, projectId, now, rows),
      shard
        .prepare(`INSERT INTO asset_tags (tenant_id, project_id, asset_id, tag) SELECT ?1, ?2, json_extract(value, '$.id'), 'seeded' FROM json_each(?3)`)
        .bind(tenantId, projectId, rows),
    ]);
  }
  const bytes = made.reduce((sum, a) => sum + a.size, 0);
  await shard
    .prepare(
      `INSERT INTO project_usage (project_id, tenant_id, bytes, assets) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (project_id) DO UPDATE SET bytes = bytes + excluded.bytes, assets = assets + excluded.assets`,
    )
    .bind(projectId, tenantId, bytes, count)
    .run();
  for (let i = 0; i < made.length; i += 50) {
    await Promise.all(
      made
        .slice(i, i + 50)
        .flatMap((a, k) => [
          bucket.put(`tenants/${tenantId}/assets/${a.id}/original`, "x".repeat(a.size)),
          ...((i + k) % 5 === 0 ? [bucket.put(`tenants/${tenantId}/assets/${a.id}/thumbnail`, "t")] : []),
        ]),
    );
  }
  return made.map(({ id, size }) => ({ id, size }));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

/** A real RGB PNG (decodable by any viewer): a gradient, or noise that does not compress. */
export async function pngImage(width: number, height: number, options: { noise?: boolean } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const raw = new Uint8Array((width * 3 + 1) * height);
  const noise = options.noise ? pseudoRandomBytes(raw.byteLength, width * 7919 + height) : null;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let i = 1; i <= width * 3; i++) raw[row + i] = noise ? noise[row + i]! : (i + y) & 0xff;
  }
  const zlib = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", zlib),
    pngChunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
