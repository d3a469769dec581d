/** The list's page sizes and the grid/list choice (a cookie, so the server renders the right one). */
export const PAGE_SIZE = 100;
export const MORE_PAGE_SIZE = 200;
export const VIEW_COOKIE = "kura_view";

export function setViewCookie(view: "grid" | "list") {
  document.cookie = `${VIEW_COOKIE}=${view}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
