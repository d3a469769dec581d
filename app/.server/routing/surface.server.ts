/**
 * Which surface a path belongs to, decided once and exactly (case-sensitive,
 * no decoding): the public API (`/api/`, bearer tokens only, never cookies),
 * its browser mirror (`/web/`, ADR 0012) or the pages. A path that only
 * *resembles* an API path once case, percent-encoding or repeated slashes are
 * folded (`/API/v1/me`, `/%61pi/v1/me`, `//api/v1/me`) is neither: Remix
 * would match it case-insensitively to an API route while every check that
 * reads the raw path treated it as a page, so it is refused outright.
 */
export type Surface = "api" | "web" | "page" | "lookalike";

const API_PREFIX = "/api/";
const WEB_PREFIX = "/web/";

function folded(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: fold what we can.
  }
  return decoded.toLowerCase().replace(/[/\\]+/g, "/");
}

export function surfaceOf(pathname: string): Surface {
  if (pathname.startsWith(API_PREFIX)) return "api";
  if (pathname.startsWith(WEB_PREFIX)) return "web";
  const f = folded(pathname);
  if (f.startsWith(API_PREFIX) || f.startsWith(WEB_PREFIX) || f === "/api" || f === "/web") return "lookalike";
  return "page";
}

export const isApiPath = (pathname: string) => surfaceOf(pathname) === "api";
export const isWebApiPath = (pathname: string) => surfaceOf(pathname) === "web";
