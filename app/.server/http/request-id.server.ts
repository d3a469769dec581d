const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Reuses Cloudflare's `cf-ray` or a well-formed inbound `X-Request-Id` so logs
 * correlate with the edge; anything else is replaced by a fresh UUID.
 */
export function requestIdFor(request: Request): string {
  for (const header of ["X-Request-Id", "CF-Ray"]) {
    const value = request.headers.get(header);
    if (value && INCOMING_ID.test(value)) return value;
  }
  return crypto.randomUUID();
}

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}
