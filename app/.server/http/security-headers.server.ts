/**
 * Security headers applied to every response the Worker sends: HTML pages,
 * API responses, static files and errors alike (workers/index.ts).
 */
export type SecurityHeaderOptions = {
  /** Per-request nonce: the only way an inline <script> may run. Null where no HTML is served. */
  nonce: string | null;
  /** Plain-HTTP loopback development: no upgrade-insecure-requests. */
  localDevelopment: boolean;
  /** A share link's path (its token is the credential): no Referer at all, and never indexed. */
  sharePath?: boolean;
};

export function contentSecurityPolicy({ nonce, localDevelopment }: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd entry module load Remix's route chunks.
    nonce ? `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'` : "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (!localDevelopment) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Two years, subdomains, preload-eligible. Browsers ignore it over plain HTTP.
  "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy":
    "accelerometer=(), autoplay=(self), camera=(), display-capture=(), encrypted-media=(self), fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(self), publickey-credentials-get=(self), screen-wake-lock=(), usb=(), xr-spatial-tracking=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-DNS-Prefetch-Control": "off",
  "X-Permitted-Cross-Domain-Policies": "none",
};

/** Returns a copy of `response` with the headers set (fetched responses are immutable). */
export function withSecurityHeaders(response: Response, options: SecurityHeaderOptions): Response {
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) secured.headers.set(name, value);
  secured.headers.set("Content-Security-Policy", contentSecurityPolicy(options));
  if (options.sharePath) {
    secured.headers.set("Referrer-Policy", "no-referrer");
    secured.headers.set("X-Robots-Tag", "noindex, nofollow, noarchive");
  }
  // Never let a server banner say what runs here.
  secured.headers.delete("X-Powered-By");
  return secured;
}
