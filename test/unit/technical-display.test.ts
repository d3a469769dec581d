import { describe, expect, it } from "vitest";
import { problemText } from "~/components/assets/technical-table";
import { formatAperture, formatCameraDateTime, formatFocalLength, formatShutter } from "~/components/assets/technical-format";
import type { Locale } from "~/i18n/locale";
import { translate } from "~/i18n/messages";
import { decodeProblem, encodeProblem, PROBLEM_CODES, TechnicalSchema } from "~/schemas/assets";

const tFor = (locale: Locale) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params);

describe("stored problems", () => {
  it("round-trip as codes with an English detail", () => {
    const stored = encodeProblem({ code: "truncated", detail: "no 'moov' box" });
    expect(decodeProblem(stored)).toEqual({ code: "truncated", text: "no 'moov' box" });
    expect(decodeProblem(encodeProblem({ code: "damaged" }))).toEqual({ code: "damaged", text: null });
    expect(encodeProblem(null)).toBeNull();
    expect(decodeProblem(null)).toEqual({ code: null, text: null });
  });

  it("old free-text problems (and look-alikes) stay text", () => {
    expect(decodeProblem("The stored file is missing.")).toEqual({ code: null, text: "The stored file is missing." });
    expect(decodeProblem('{"code":"exploded"}')).toEqual({ code: null, text: '{"code":"exploded"}' });
    expect(decodeProblem("{not json")).toEqual({ code: null, text: "{not json" });
  });

  it("every code has a sentence in both languages, and old problems render as they were stored", () => {
    for (const locale of ["ja", "en"] as const) {
      const t = tFor(locale);
      const texts = PROBLEM_CODES.map((code) => problemText(t, { problem: "detail", problemCode: code }));
      for (const [i, text] of texts.entries()) {
        expect(text, `${locale} ${PROBLEM_CODES[i]}`).toMatch(/\S/);
        expect(text, `${locale} ${PROBLEM_CODES[i]}`).not.toMatch(/^asset\./);
      }
      expect(new Set(texts).size).toBe(PROBLEM_CODES.length);
      expect(problemText(t, { problem: "The stored file is missing.", problemCode: null })).toBe("The stored file is missing.");
      expect(problemText(t, { problem: null, problemCode: null })).toBeNull();
    }
    expect(problemText(tFor("ja"), { problem: "x", problemCode: "damaged" })).toMatch(/破損/);
    expect(problemText(tFor("en"), { problem: "x", problemCode: "unknown_format" })).toMatch(/not recognised/);
  });
});

describe("camera facts as people read them", () => {
  it("EXIF dates: the camera's wall-clock time, in the UI language, with its offset when recorded", () => {
    expect(formatCameraDateTime("2022-02-16T12:55:41+01:00", "en")).toBe("16 February 2022 at 12:55:41 (UTC+01:00)");
    expect(formatCameraDateTime("2022-02-16T12:55:41+01:00", "ja")).toBe("2022年2月16日 12:55:41 (UTC+01:00)");
    // No offset: shown as recorded, never shifted to another zone.
    expect(formatCameraDateTime("2008-10-22T16:28:39", "en")).toBe("22 October 2008 at 16:28:39");
    expect(formatCameraDateTime("not a date", "en")).toBe("not a date");
  });

  it("shutter, aperture, focal length", () => {
    expect(formatShutter(0.004)).toBe("1/250 s");
    expect(formatShutter(1 / 60)).toBe("1/60 s");
    expect(formatShutter(0.00625)).toBe("1/160 s");
    expect(formatShutter(2.5)).toBe("2.5 s");
    expect(formatAperture(1.5)).toBe("f/1.5");
    expect(formatAperture(7.1)).toBe("f/7.1");
    expect(formatFocalLength(5.7)).toBe("5.7 mm");
  });
});

describe("TechnicalSchema", () => {
  it("accepts what the readers produce, including tracks and camera exposure", () => {
    const technical = {
      container: "mov",
      videoCodec: "prores",
      videoCodecName: "Apple ProRes 422",
      videoBitDepth: 10,
      audioBitDepth: 24,
      tracks: [
        { kind: "video", codec: "prores", width: 160, height: 90 },
        { kind: "audio", channels: 1, sampleRate: 48000, bitDepth: 24 },
      ],
      exif: { iso: 250, fNumber: 1.5, exposureTime: 1 / 60, focalLength: 5.7, focalLength35mm: 26, lensModel: "x", orientation: 6 },
    };
    expect(TechnicalSchema.parse(technical)).toEqual(technical);
    expect(TechnicalSchema.safeParse({ exif: { orientation: 9 } }).success).toBe(false);
  });
});
