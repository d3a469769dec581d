/**
 * `Content-Disposition: attachment` for any file name (RFC 6266 with the
 * RFC 5987 `filename*` for non-ASCII, e.g. Japanese), plus an ASCII
 * fallback `filename` for old clients. Quotes, backslashes and control
 * characters never reach the header.
 */
export function contentDisposition(filename: string, disposition: "attachment" | "inline" = "attachment"): string {
  const clean = filename.replace(/[\u0000-\u001f\u007f"\\/]/g, "_");
  const ascii = clean.normalize("NFKD").replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
