import type { TenantStorage } from "../storage/keys.server";

/** Serving a stored object with Range, If-Range and If-None-Match: originals, proxies and the transcoder's reads. */

export type ByteRange = { offset: number; length: number };

/**
 * One `bytes=` range (a-b, a-, -n) against `size`. Several ranges are
 * answered with the whole file (allowed by RFC 9110); an unsatisfiable one
 * gives 416.
 */
export function parseRange(header: string | null, size: number): ByteRange | "whole" | "unsatisfiable" {
  if (!header) return "whole";
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return "whole";
  const [, a, b] = m;
  if (a === "" && b === "") return "whole";
  if (a === "") {
    const n = Number(b);
    if (n === 0) return "unsatisfiable";
    const length = Math.min(n, size);
    return { offset: size - length, length };
  }
  const start = Number(a);
  if (start >= size) return "unsatisfiable";
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/**
 * The object at `key` as a 200, 206, 304 or 416 answer with `headers` (ETag, Accept-Ranges and
 * the length headers are added), or null when it is not stored. `range` says what was sent, so
 * a caller can record a download once, at the request that starts at byte 0.
 */
export async function rangedObjectResponse(
  storage: Pick<TenantStorage, "head" | "get">,
  key: string,
  request: Request,
  headers: Headers,
  options: { storedTypes?: readonly string[] } = {},
): Promise<{ response: Response; range: ByteRange | "whole" | null } | null> {
  const head = await storage.head(key);
  if (!head) return null;
  // The type the object was stored with, where it is one the caller allows (else headers' own).
  const stored = head.httpMetadata?.contentType;
  if (stored && options.storedTypes?.includes(stored)) headers.set("Content-Type", stored);
  const etag = head.httpEtag;
  headers.set("ETag", etag);
  headers.set("Accept-Ranges", "bytes");
  headers.set("Last-Modified", head.uploaded.toUTCString());
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === etag || t.trim() === "*")) {
    return { response: new Response(null, { status: 304, headers }), range: null };
  }
  // If-Range: a range only applies to the version the client already holds.
  const ifRange = request.headers.get("If-Range");
  const range = parseRange(ifRange && ifRange !== etag ? null : request.headers.get("Range"), head.size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${head.size}`);
    return { response: new Response(null, { status: 416, headers }), range: null };
  }
  // Pinned to the version just looked at: a replaced object is not mixed into a range.
  const object = await storage.get(key, range === "whole" ? { onlyIf: { etagMatches: head.etag } } : { range, onlyIf: { etagMatches: head.etag } });
  if (!object || !("body" in object)) return null;
  if (range === "whole") {
    headers.set("Content-Length", String(head.size));
    return { response: new Response(object.body, { status: 200, headers }), range };
  }
  headers.set("Content-Length", String(range.length));
  headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
  return { response: new Response(object.body, { status: 206, headers }), range };
}
