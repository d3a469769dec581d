// Moving bytes between the transcoder and Kura: ranged reads of the original from its signed URL,
// outputs written in parts to their signed single-use upload URLs, and the signed callback.
import { createWriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { once } from "node:events";

/** Bytes per ranged GET of the original: big enough to be cheap, small enough to retry. */
export const READ_CHUNK = 16 * 1024 * 1024;
/**
 * Bytes per uploaded part. R2 wants equal parts of at least 5 MiB (the last may be smaller), and
 * a Worker request body is at most 100 MB.
 */
export const PART_BYTES = 16 * 1024 * 1024;
const ATTEMPTS = 4;

/** Retries `fn` on network errors and 5xx/429 answers, with a growing pause. */
async function withRetries(what, fn, { signal } = {}) {
  let lastError;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      if (error instanceof HttpError && !error.retryable) throw error;
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 250 * 4 ** (attempt - 1)));
    }
  }
  throw new TransferError(`${what} failed after ${ATTEMPTS} attempts: ${lastError?.message ?? lastError}`);
}

export class HttpError extends Error {
  constructor(what, status, body) {
    super(`${what}: HTTP ${status} ${String(body).slice(0, 300)}`);
    this.status = status;
    this.retryable = status >= 500 || status === 429 || status === 408;
  }
}

/** A transfer that kept failing: Kura or the network is unwell, so the job may be tried again later. */
export class TransferError extends Error {}

async function expectOk(what, response, statuses = [200]) {
  if (statuses.includes(response.status)) return response;
  throw new HttpError(what, response.status, await response.text().catch(() => ""));
}

/** Bytes `start`–`end` of the original, checked for length, with retries. */
export async function fetchRange(url, start, end, { signal } = {}) {
  return withRetries(
    "reading the original",
    async () => {
      const response = await fetch(url, { headers: { Range: `bytes=${start}-${end}` }, signal });
      await expectOk("reading the original", response, [206, 200]);
      const body = Buffer.from(await response.arrayBuffer());
      if (response.status === 200 ? body.length < end + 1 : body.length !== end - start + 1)
        throw new TransferError(`range ${start}-${end} gave ${body.length} bytes`);
      return response.status === 200 ? body.subarray(start, end + 1) : body;
    },
    { signal },
  );
}

/** Downloads the original to `file` by ranged GETs, checking that every range and the total size are right. */
export async function downloadSource(url, file, size, { signal } = {}) {
  const out = createWriteStream(file);
  try {
    for (let start = 0; start < size; start += READ_CHUNK) {
      const bytes = await fetchRange(url, start, Math.min(size, start + READ_CHUNK) - 1, { signal });
      if (!out.write(bytes)) await once(out, "drain");
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  const written = (await stat(file)).size;
  if (written !== size) throw new TransferError(`the original is ${written} bytes, expected ${size}`);
}

/** The first `n` bytes of the original (a HEIF still is told by its `ftyp` brand). */
export async function readHead(url, size, n, { signal } = {}) {
  return size === 0 ? Buffer.alloc(0) : fetchRange(url, 0, Math.min(n, size) - 1, { signal });
}

const withQuery = (url, params) => {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
};

/**
 * Uploads `file` to its signed output URL: POST starts the single-use upload, PUTs send equal
 * parts, POST with the upload id completes it. Returns the size Kura stored.
 */
export async function uploadOutput(url, file, contentType, { signal } = {}) {
  const started = await withRetries(
    "starting an output upload",
    async () =>
      expectOk(
        "starting an output upload",
        await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ contentType }), signal }),
        [201],
      ),
    { signal },
  );
  const { uploadId } = await started.json();
  const size = (await stat(file)).size;
  const handle = await open(file, "r");
  const parts = [];
  try {
    for (let partNumber = 1, offset = 0; offset < size || partNumber === 1; partNumber++, offset += PART_BYTES) {
      const length = Math.min(PART_BYTES, size - offset);
      const body = Buffer.alloc(length);
      await handle.read(body, 0, length, offset);
      const response = await withRetries(
        "uploading an output part",
        async () =>
          expectOk(
            "uploading an output part",
            await fetch(withQuery(url, { uploadId, part: partNumber }), {
              method: "PUT",
              headers: { "Content-Type": "application/octet-stream" },
              body,
              signal,
            }),
          ),
        { signal },
      );
      parts.push({ partNumber, etag: (await response.json()).etag });
      if (length === 0) break;
    }
  } finally {
    await handle.close();
  }
  const completed = await withRetries(
    "completing an output upload",
    async () =>
      expectOk(
        "completing an output upload",
        await fetch(withQuery(url, { uploadId }), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ parts }), signal }),
      ),
    { signal },
  );
  return (await completed.json()).size;
}

/** Posts an event to the job's signed callback. A 409 means the job moved on (a newer attempt): the caller stops. */
export async function report(url, event, { signal } = {}) {
  return withRetries(
    "reporting to Kura",
    async () => {
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(event), signal });
      await expectOk("reporting to Kura", response, [200, 409]);
      return response.status === 200;
    },
    { signal },
  );
}
