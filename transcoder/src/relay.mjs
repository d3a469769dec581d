// A loopback relay between ffmpeg and the original's signed URL. ffmpeg asks for open-ended ranges
// ("bytes=N-") and walks away after a seek; sent upstream as is, each of those would make Kura
// stream the rest of the original for nothing. The relay answers ffmpeg from bounded upstream
// ranges (READ_CHUNK each, the next one fetched while the current one is written), so ffmpeg
// decodes while the original arrives and a seek costs at most one chunk.
import { createServer } from "node:http";
import { fetchRange, READ_CHUNK } from "./transfer.mjs";

const FIRST_CHUNK = 512 * 1024;

/** Serves the original at a loopback URL for the job's lifetime; `close` stops it. */
export async function startRelay(sourceUrl, size, { signal } = {}) {
  const server = createServer(async (request, response) => {
    const m = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start >= size || end < start) {
      response.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
      return;
    }
    const headers = { "Content-Length": String(end - start + 1), "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream" };
    response.writeHead(m ? 206 : 200, m ? { ...headers, "Content-Range": `bytes ${start}-${end}/${size}` } : headers);
    if (request.method === "HEAD") return response.end();
    const aborted = new AbortController();
    const stop = () => aborted.abort();
    response.on("close", stop);
    signal?.addEventListener("abort", stop, { once: true });
    const chunk = (from, length) => {
      const pending = fetchRange(sourceUrl, from, Math.min(end, from + length - 1), { signal: aborted.signal });
      // A prefetch that is never awaited (ffmpeg went away) must not be an unhandled rejection.
      pending.catch(() => {});
      return pending;
    };
    try {
      // Small first, then doubling up to READ_CHUNK: a probe or a seek that reads a little costs a little.
      // The first chunk is not prefetched past: a probe reads headers and seeks away, so a second
      // range would only compete with the reads it does want.
      let length = FIRST_CHUNK;
      let next = chunk(start, length);
      for (let from = start; from <= end && !aborted.signal.aborted;) {
        const bytes = await next;
        const first = from === start;
        from += bytes.length;
        length = Math.min(READ_CHUNK, length * 2);
        if (from <= end && !first) next = chunk(from, length);
        if (!response.write(bytes)) await new Promise((resolve) => response.once("drain", resolve));
        if (from <= end && first) next = chunk(from, length);
      }
      response.end();
    } catch {
      // ffmpeg left (a seek), the job was stopped, or Kura kept failing: ffmpeg sees a short read and reconnects or fails.
      response.destroy();
    } finally {
      signal?.removeEventListener("abort", stop);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/source`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
