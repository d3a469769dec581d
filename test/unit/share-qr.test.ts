/**
 * Share links' QR codes (issue #14): the SVG path made on the server decodes, with an independent
 * decoder (jsQR over the path painted into pixels), to exactly the link, at the lengths links have.
 */
import { describe, expect, it } from "vitest";
import { qrCode } from "~/.server/sharing/qr.server";
import { decodeQrPath } from "../support/qr-decode";

describe("share link QR codes", () => {
  it.each([
    "https://kura.test/s/abcdefghijklmnopqrstuvwxyz234567",
    "https://media.example-production-house.co.jp/s/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    "http://127.0.0.1:8787/s/a2b3c4d5e6f7g2h3i4j5k6l7m2n3o4p5",
  ])("%s decodes back to itself", (url) => {
    const qr = qrCode(url);
    expect(qr.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    expect(decodeQrPath(qr.path, qr.size)).toBe(url);
  });

  it("the decoder is not fooled: a damaged code does not decode to the link", () => {
    const url = "https://kura.test/s/abcdefghijklmnopqrstuvwxyz234567";
    const qr = qrCode(url);
    // Without its first third of rectangles the finder patterns and format are gone.
    const damaged = qr.path
      .split("z")
      .slice(Math.floor(qr.path.split("z").length / 3))
      .join("z");
    expect(decodeQrPath(damaged, qr.size)).not.toBe(url);
  });
});
