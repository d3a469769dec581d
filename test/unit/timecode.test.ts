/**
 * Timecode (issue #13, ADR 0030): frames are integers, timecode is derived. Known values at every
 * rate the player supports, drop frame at 29.97 and 59.94 included, and the round trip frame →
 * timecode → frame over whole hours.
 */
import { describe, expect, it } from "vitest";
import { clipTimecode, frameToTimecode, rateFromFps, supportsDropFrame, timecodeToFrame, type FrameRate } from "~/media/timecode";

const R = {
  "23.976": { num: 24000, den: 1001 },
  "24": { num: 24, den: 1 },
  "25": { num: 25, den: 1 },
  "29.97": { num: 30000, den: 1001 },
  "30": { num: 30, den: 1 },
  "50": { num: 50, den: 1 },
  "59.94": { num: 60000, den: 1001 },
  "60": { num: 60, den: 1 },
} satisfies Record<string, FrameRate>;

describe("frameToTimecode", () => {
  it.each([
    ["29.97", 1799, "00:00:59;29"],
    ["29.97", 1800, "00:01:00;02"], // ;00 and ;01 of minute 1 are skipped
    ["29.97", 17982, "00:10:00;00"], // every tenth minute keeps them
    ["29.97", 107892, "01:00:00;00"],
    ["59.94", 3596, "00:00:59;56"],
    ["59.94", 3600, "00:01:00;04"],
    ["59.94", 35964, "00:10:00;00"],
    ["59.94", 215784, "01:00:00;00"],
    ["23.976", 86400, "01:00:00:00"], // counted as 24, never dropped
    ["24", 86399, "00:59:59:23"],
    ["25", 90000, "01:00:00:00"],
    ["30", 1800, "00:01:00:00"],
    ["50", 180000, "01:00:00:00"],
    ["60", 216000, "01:00:00:00"],
  ] as const)("%s fps frame %i is %s", (rate, frame, timecode) => {
    expect(frameToTimecode(frame, R[rate])).toBe(timecode);
    expect(timecodeToFrame(timecode, R[rate])).toBe(frame);
  });

  it("counts from the asset's start timecode and wraps at 24 hours", () => {
    const start = timecodeToFrame("01:00:00;00", R["29.97"])!;
    expect(frameToTimecode(0, R["29.97"], { start })).toBe("01:00:00;00");
    expect(frameToTimecode(1800, R["29.97"], { start })).toBe("01:01:00;02");
    const lastOfDay = timecodeToFrame("23:59:59;29", R["29.97"])!;
    expect(frameToTimecode(lastOfDay + 1, R["29.97"])).toBe("00:00:00;00");
    expect(timecodeToFrame("00:59:59;29", R["29.97"], { start })).toBe(timecodeToFrame("23:59:59;29", R["29.97"]));
  });

  it("uses non-drop counting at 29.97 when asked, and never drop frame where the rate has none", () => {
    expect(frameToTimecode(1800, R["29.97"], { dropFrame: false })).toBe("00:01:00:00");
    expect(frameToTimecode(1800, R["30"], { dropFrame: true })).toBe("00:01:00:00");
    expect(supportsDropFrame(R["23.976"])).toBe(false);
  });

  it("refuses a frame that is not a non-negative integer", () => {
    expect(() => frameToTimecode(-1, R["25"])).toThrow(RangeError);
    expect(() => frameToTimecode(1.5, R["25"])).toThrow(RangeError);
  });
});

describe("timecodeToFrame", () => {
  it("round-trips every frame of an hour at 29.97 DF, 59.94 DF and 23.976", () => {
    for (const rate of [R["29.97"], R["59.94"], R["23.976"]]) {
      const hour = timecodeToFrame("01:00:00:00", rate)!;
      for (let frame = 0; frame < hour; frame++) {
        const timecode = frameToTimecode(frame, rate);
        if (timecodeToFrame(timecode, rate) !== frame) expect.fail(`${rate.num}/${rate.den}: ${frame} → ${timecode} → ${timecodeToFrame(timecode, rate)}`);
      }
    }
  });

  it("accepts ; : . as the last separator, and refuses what the rate cannot show", () => {
    expect(timecodeToFrame("00:01:00:02", R["29.97"])).toBe(1800);
    expect(timecodeToFrame(" 00:01:00.02 ", R["29.97"])).toBe(1800);
    for (const bad of ["00:01:00;00", "00:01:00;01", "00:00:00;30", "00:60:00;00", "25:00:00;00", "1:00:00:00", "", "abc", "00:00:00:-1"])
      expect(timecodeToFrame(bad, R["29.97"]), bad).toBeNull();
    expect(timecodeToFrame("00:00:00:25", R["25"])).toBeNull();
    expect(timecodeToFrame("00:01:00:00", R["59.94"])).toBeNull(); // 59.94 DF skips ;00–;03 of minute 1
  });
});

describe("rateFromFps", () => {
  it.each([
    [23.976, { num: 24000, den: 1001 }],
    [29.97, { num: 30000, den: 1001 }],
    [59.94, { num: 60000, den: 1001 }],
    [119.88, { num: 120000, den: 1001 }],
    [25, { num: 25, den: 1 }],
    [24, { num: 24, den: 1 }],
    [30, { num: 30, den: 1 }],
    [12.5, { num: 12500, den: 1000 }],
  ] as const)("%s fps is %o", (fps, rate) => {
    expect(rateFromFps(fps)).toEqual(rate);
  });

  it("refuses nonsense", () => {
    for (const fps of [0, -25, Number.NaN, Number.POSITIVE_INFINITY, 5000]) expect(rateFromFps(fps)).toBeNull();
  });
});

describe("clipTimecode", () => {
  it("counts from the clip's start timecode, drop frame where it says so", () => {
    const df = clipTimecode(R["29.97"], "00:00:59;28");
    expect(df.dropFrame).toBe(true);
    expect([df.of(0), df.of(1), df.of(2)]).toEqual(["00:00:59;28", "00:00:59;29", "00:01:00;02"]);
    expect(df.parse("00:01:00;02")).toBe(2);
    const ndf = clipTimecode(R["29.97"], "01:00:00:00");
    expect(ndf.dropFrame).toBe(false);
    expect(ndf.of(1800)).toBe("01:01:00:00");
    expect(clipTimecode(R["29.97"], null).dropFrame).toBe(true); // no start timecode: the rate's own counting
    expect(clipTimecode(R["25"], "10:00:00:00").of(25)).toBe("10:00:01:00");
  });
});
