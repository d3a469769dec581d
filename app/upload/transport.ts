/**
 * How the upload engine sends one HTTP request. The browser uses
 * XMLHttpRequest, because only XHR reports upload progress; tests (and any
 * non-browser caller) use fetch, which reports a request's bytes only once
 * it is done.
 */

export type TransportRequest = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: Blob | FormData | string | null;
  signal?: AbortSignal;
  /** Bytes of the body sent so far. */
  onUploadProgress?: (loaded: number) => void;
};

export type TransportResponse = {
  status: number;
  /** Header lookup, case-insensitive. */
  header(name: string): string | null;
  text: string;
};

/**
 * Resolves with any HTTP answer (4xx and 5xx included). Rejects with an
 * `AbortError` DOMException when aborted, and with a `TypeError` when the
 * network failed (no answer at all).
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export function abortError(): DOMException {
  return new DOMException("The request was aborted.", "AbortError");
}

export function isAbortError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

/**
 * fetch-based transport. Bodies are read into memory first so that every
 * runtime sends a Content-Length (the API requires one on part and
 * one-request uploads); fine for tests and tools, not for multi-gigabyte
 * browser uploads (those go through XHR, which streams the Blob).
 */
export function fetchTransport(fetcher: (input: string, init: RequestInit) => Promise<Response> = (i, init) => fetch(i, init)): Transport {
  return async (request) => {
    if (request.signal?.aborted) throw abortError();
    const headers = new Headers(request.headers);
    let body: BodyInit | null = null;
    let length = 0;
    if (request.body instanceof FormData) {
      const encoded = new Response(request.body);
      headers.set("Content-Type", encoded.headers.get("Content-Type") ?? "multipart/form-data");
      const bytes = await encoded.arrayBuffer();
      body = bytes;
      length = bytes.byteLength;
    } else if (request.body instanceof Blob) {
      const bytes = await request.body.arrayBuffer();
      body = bytes;
      length = bytes.byteLength;
    } else if (typeof request.body === "string") {
      body = request.body;
      length = new TextEncoder().encode(request.body).byteLength;
    }
    const response = await fetcher(request.url, { method: request.method, headers, body, signal: request.signal ?? null });
    const text = await response.text();
    if (body !== null) request.onUploadProgress?.(length);
    return { status: response.status, header: (name) => response.headers.get(name), text };
  };
}

/** XMLHttpRequest-based transport for the browser: real upload progress, abortable, cookies included (same origin). */
export function xhrTransport(): Transport {
  return (request) =>
    new Promise<TransportResponse>((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(abortError());
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url, true);
      xhr.withCredentials = false; // same-origin requests carry the session cookie anyway
      for (const [name, value] of Object.entries(request.headers ?? {})) xhr.setRequestHeader(name, value);
      if (request.onUploadProgress && request.body) {
        const report = request.onUploadProgress;
        xhr.upload.onprogress = (event) => report(event.loaded);
      }
      const onAbort = () => xhr.abort();
      request.signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => request.signal?.removeEventListener("abort", onAbort);
      xhr.onload = () => {
        done();
        resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name), text: xhr.responseText });
      };
      xhr.onerror = () => {
        done();
        reject(new TypeError("Network error."));
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => {
        done();
        reject(abortError());
      };
      xhr.send(request.body ?? null);
    });
}
