/**
 * Paths that carry a share link's token (issue #14): the guest portal `/s/<token>…` and the guest
 * API and its browser mirror `/…/v1/public/shares/<token>…`. The token is the whole credential of
 * a link, so such paths are never logged as they are, never sent on as a Referer, and never
 * indexed.
 */
const SHARE_PATH = /^(\/s\/|\/(?:api|web)\/v1\/public\/shares\/)([^/]+)/;

export function isSharePath(pathname: string): boolean {
  return SHARE_PATH.test(pathname);
}

/** The path with a share token replaced, for logs. */
export function loggablePath(pathname: string): string {
  return pathname.replace(SHARE_PATH, "$1[token]");
}
