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
    details: [{ path: "cursor", message: "Invalid cursor." }],
  });
}
