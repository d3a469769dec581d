import { encode } from "uqr";

/**
 * A QR code of a share link as SVG path data (issue #14), made on the server with uqr (pure
 * JavaScript, no canvas: it runs in Workers). The page draws it as `<svg viewBox><path d>` with
 * React, so no markup string is ever injected and no style attribute is needed (the CSP forbids
 * them). Error correction M (15 %) survives a phone camera on a screen; the quiet zone is the
 * standard's four modules.
 */
export type QrCode = { size: number; path: string };

const QUIET_ZONE = 4;

export function qrCode(text: string): QrCode {
  const { data, size } = encode(text, { ecc: "M", border: QUIET_ZONE });
  const runs: string[] = [];
  data.forEach((row, y) => {
    // One rectangle per horizontal run of dark modules keeps the path short.
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (x + 1 < row.length && row[x + 1]) x++;
      runs.push(`M${start} ${y}h${x - start + 1}v1h-${x - start + 1}z`);
    }
  });
  return { size, path: runs.join("") };
}
