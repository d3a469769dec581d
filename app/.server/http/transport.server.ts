import { apiError } from "./errors.server";
import { isApiPath } from "../routing/surface.server";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** Plain HTTP is allowed only for loopback development (wrangler dev). */
export function isLocalDevelopment(url: URL, environment: string): boolean {
  return environment === "development" && isLoopback(url);
}

/**
 * TLS only: a plain-HTTP request is redirected to HTTPS with a 308 (method
 * and body preserved) unless it is local development.
 */
export function httpsRedirect(request: Request, environment: string): Response | null {
  const url = new URL(request.url);
  if (url.protocol === "https:" || isLocalDevelopment(url, environment)) return null;
  url.protocol = "https:";
  return new Response(null, { status: 308, headers: { Location: url.toString() } });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for browser forms (the API never reads cookies, so it is
 * exempt): a state-changing request must come from our own origin. Browsers
 * always send Origin on POST; Sec-Fetch-Site covers the rest.
 */
export function crossSiteFormRejection(request: Request): Response | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const url = new URL(request.url);
  if (isApiPath(url.pathname)) return null;
  const origin = request.headers.get("Origin");
  const site = request.headers.get("Sec-Fetch-Site");
  const sameOrigin = origin !== null ? origin === url.origin : site === "same-origin";
  if (sameOrigin) return null;
  return apiError("forbidden", "Cross-site form submission refused.");
}
