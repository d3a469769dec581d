import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { fail } from "./errors.server";

/** Opaque pagination cursors: base64url JSON of the sort key of the last item. */
export function encodeCursor(key: Record<string, string | number>): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(key)));
}

export function decodeCursor<K extends string>(cursor: string, fields: readonly K[]): Record<K, string> {
  try {
    const value = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(cursor))) as unknown;
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (fields.every((f) => typeof record[f] === "string")) return record as Record<K, string>;
    }
  } catch {
    // fall through
  }
  fail("validation_failed", "The query string is not valid.", {
    fields: [{ path: "cursor", message: "Invalid cursor." }],
  });
}

/**
 * The contract's `limit`/`cursor` paging over a list read whole: for the
 * small per-tenant lists (roles, groups, fields, tokens, grants, projects).
 * The cursor is the sort key of the last item, so a page does not shift when
 * items are added before it. Keys must be unique.
 */
export function pageOfList<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  page: { limit: number; cursor?: string | undefined },
  direction: "asc" | "desc" = "asc",
): { items: T[]; nextCursor: string | null } {
  const sign = direction === "asc" ? 1 : -1;
  const sorted = [...items].sort((a, b) => sign * (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const after = page.cursor ? decodeCursor(page.cursor, ["k"]).k : null;
  const rest = after === null ? sorted : sorted.filter((i) => sign * (keyOf(i) > after ? 1 : keyOf(i) < after ? -1 : 0) > 0);
  const pageItems = rest.slice(0, page.limit);
  const last = pageItems.at(-1);
  return { items: pageItems, nextCursor: rest.length > page.limit && last !== undefined ? encodeCursor({ k: keyOf(last) }) : null };
}
