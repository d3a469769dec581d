import { fileNameSegment, isNoFileName } from "~/schemas/names";

/**
 * `Content-Disposition: attachment` for any file name (RFC 6266 with the
 * RFC 5987 `filename*` for non-ASCII, e.g. Japanese), plus an ASCII
 * fallback `filename` for old clients. Control and bidi characters are
 * dropped (a legacy name cannot display as "evil‮4pm.exe"); quotes, slashes
 * and backslashes become "_"; "." and ".." are never a file name.
 */
export function contentDisposition(filename: string, disposition: "attachment" | "inline" = "attachment"): string {
  const stripped = fileNameSegment(filename).replace(/"/g, "_");
  const clean = isNoFileName(stripped) ? "download" : stripped;
  const ascii = clean.normalize("NFKD").replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
