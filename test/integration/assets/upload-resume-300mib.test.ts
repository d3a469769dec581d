/**
 * Acceptance: a 300 MiB file uploaded in parts, interrupted mid-way (a part
 * cut off in transfer, then the client gone), resumed by asking which parts
 * arrived, downloads byte-identical (SHA-256 equal), and ranges return the
 * exact bytes. The file is generated part by part from a seed, so neither
 * side ever holds it whole.
 */
import { SELF } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { call, ORIGIN } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { waitProcessed } from "../../support/assets";

const MiB = 1024 * 1024;
const SIZE = 300 * MiB;
const PART = 32 * MiB;

let world: World;
let token: string;

/** Bytes [offset, offset+length) of the test file: a seeded xorshift block, varied per MiB so no two MiB are equal. */
const BASE = (() => {
  const words = new Uint32Array(MiB / 4);
  let x = 2463534242;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return words;
})();

function fileBytes(offset: number, length: number): Uint8Array<ArrayBuffer> {
  // Offsets here are whole MiB except at the very end, which is what parts need.
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, Math.floor(length / 4));
  for (let w = 0; w < words.length; w++) {
    const absolute = offset / 4 + w;
    words[w] = BASE[absolute % BASE.length]! ^ Math.floor(absolute / BASE.length);
  }
  return out;
}

function partBytes(n: number): Uint8Array<ArrayBuffer> {
  const start = (n - 1) * PART;
  return fileBytes(start, Math.min(PART, SIZE - start));
}

async function sha256OfStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const digest = new (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream("SHA-256");
  await stream.pipeTo(digest);
  return [...new Uint8Array(await digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function sourceStream(): ReadableStream<Uint8Array> {
  let n = 0;
  const parts = Math.ceil(SIZE / PART);
  return new ReadableStream({
    pull(controller) {
      n++;
      if (n > parts) controller.close();
      else controller.enqueue(partBytes(n));
    },
  });
}

const putPart = (uploadId: string, n: number, body: BodyInit, length: number) =>
  SELF.fetch(`${ORIGIN}/api/v1/uploads/${uploadId}/parts/${n}`, {
    method: "PUT",
    body,
    headers: { Authorization: `Bearer ${token}`, "Content-Length": String(length), "Content-Type": "application/octet-stream" },
  });

beforeAll(async () => {
  world = await buildWorld("resume");
  token = world.users.member.token;
});

it("uploads 300 MiB in parts, survives an interruption, resumes with only the missing parts, and downloads byte-identical", async () => {
  const expected = await sha256OfStream(sourceStream());
  const created = await expectJson<{ uploadId: string; partSize: number; partCount: number }>(
    call(`/api/v1/projects/${world.p1}/uploads`, { method: "POST", token, json: { filename: "A001_C002_渋谷.mov", size: SIZE } }),
    201,
  );
  expect(created.partSize).toBe(PART);
  expect(created.partCount).toBe(10);

  // First session: parts 1–4 arrive; part 5 is cut off half-way by a network error.
  for (let n = 1; n <= 4; n++) await expectJson(putPart(created.uploadId, n, partBytes(n), PART), 200);
  const half = partBytes(5).slice(0, PART / 2);
  const broken = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(half);
      controller.error(new Error("connection reset"));
    },
  });
  const cut = await putPart(created.uploadId, 5, broken, PART).catch((error: unknown) => error);
  if (cut instanceof Response) {
    expect(cut.status).toBeGreaterThanOrEqual(400);
    await cut.arrayBuffer();
  }

  // Second session (e.g. after a page reload): ask what arrived, send only the rest.
  const status = await expectJson<{ receivedParts: number[]; partCount: number }>(call(`/api/v1/uploads/${created.uploadId}`, { token }), 200);
  expect(status.receivedParts).toEqual([1, 2, 3, 4]);
  const sent: number[] = [];
  for (let n = 1; n <= status.partCount; n++) {
    if (status.receivedParts.includes(n)) continue;
    const bytes = partBytes(n);
    await expectJson(putPart(created.uploadId, n, bytes, bytes.byteLength), 200);
    sent.push(n);
  }
  expect(sent).toEqual([5, 6, 7, 8, 9, 10]);
  const asset = await expectJson<{ id: string; size: number }>(call(`/api/v1/uploads/${created.uploadId}/complete`, { method: "POST", token }), 201);
  expect(asset.size).toBe(SIZE);

  const download = await call(`/api/v1/assets/${asset.id}/original`, { token });
  expect(download.status).toBe(200);
  expect(Number(download.headers.get("Content-Length"))).toBe(SIZE);
  expect(await sha256OfStream(download.body!)).toBe(expected);

  // Ranges: across the boundary of parts 4 and 5, and the last bytes of the file.
  const boundary = 4 * PART;
  const across = await call(`/api/v1/assets/${asset.id}/original`, { token, headers: { Range: `bytes=${boundary - 8}-${boundary + 7}` } });
  expect(across.status).toBe(206);
  expect(new Uint8Array(await across.arrayBuffer())).toEqual(new Uint8Array([...partBytes(4).slice(-8), ...partBytes(5).slice(0, 8)]));
  const tail = await call(`/api/v1/assets/${asset.id}/original`, { token, headers: { Range: "bytes=-16" } });
  expect(tail.headers.get("Content-Range")).toBe(`bytes ${SIZE - 16}-${SIZE - 1}/${SIZE}`);
  expect(new Uint8Array(await tail.arrayBuffer())).toEqual(partBytes(10).slice(-16));

  // Processing hashes the stored object independently and agrees.
  const ready = await waitProcessed(token, asset.id, 120_000);
  expect(ready.sha256).toBe(expected);
}, 600_000);
