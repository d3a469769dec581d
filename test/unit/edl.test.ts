/**
 * The markers' EDL (issue #14): CMX 3600 events with DaVinci Resolve's marker comments. Each EDL is
 * read back by a strict CMX 3600 reader written here from the format (fixed event fields, `FCM:`,
 * `|C: |M: |D:` comments) that turns timecodes into frames with smpte-timecode directly, not with
 * the writer's code, and must give the same frames, colours and texts.
 */
import Timecode from "smpte-timecode";
import { describe, expect, it } from "vitest";
import { markersToEdl, type EdlMarker } from "~/media/edl";
import type { FrameRate } from "~/media/timecode";

type ReadMarker = { number: number; startFrame: number; endFrame: number; color: string; text: string; duration: number };

/** Reads the EDL; frames are relative to `start` (the clip's first frame), at `rate`. */
function readEdl(edl: string, rate: FrameRate, start: string): { title: string; dropFrame: boolean; markers: ReadMarker[] } {
  const lines = edl.split("\r\n");
  const title = /^TITLE: (.*)$/.exec(lines[0]!)![1]!;
  const fcm = /^FCM: (DROP FRAME|NON-DROP FRAME)$/.exec(lines[1]!)![1]!;
  const dropFrame = fcm === "DROP FRAME";
  const frameOf = (tc: string) => Timecode(tc.replace(";", ":"), [rate.num, rate.den], dropFrame).frameCount;
  const origin = frameOf(start);
  const markers: ReadMarker[] = [];
  for (let i = 2; i < lines.length; i++) {
    const event = /^(\d{3,})\s+(\S+)\s+V\s+C\s+(\S+) (\S+) (\S+) (\S+)\s*$/.exec(lines[i]!);
    if (!event) continue;
    const [, number, , srcIn, srcOut, recIn, recOut] = event;
    expect(recIn).toBe(srcIn);
    expect(recOut).toBe(srcOut);
    const comment = /^ \|C:ResolveColor(\w+) \|M:(.*) \|D:(\d+)$/.exec(lines[i + 1]!);
    expect(comment, `comment line after event ${number}`).not.toBeNull();
    const [, color, text, duration] = comment!;
    const startFrame = frameOf(srcIn!) - origin;
    const endFrame = frameOf(srcOut!) - origin - 1; // the out point is exclusive
    expect(endFrame - startFrame + 1).toBe(Number(duration));
    markers.push({ number: Number(number), startFrame, endFrame, color: color!, text: text!, duration: Number(duration) });
  }
  return { title, dropFrame, markers };
}

const markers: EdlMarker[] = [
  { startFrame: 0, endFrame: null, text: "first frame", color: "yellow" },
  { startFrame: 1, endFrame: 3, text: "across the ;00 and ;01 that drop frame skips", color: "red" },
  { startFrame: 1798, endFrame: null, text: "テロップ位置を確認", color: "blue" },
  { startFrame: 17980, endFrame: 17985, text: "line one\nline two | with a bar", color: "purple" },
];

describe("markersToEdl", () => {
  it("29.97 DF from 00:00:59;28: every marker lands on its frames, across skipped labels and a tenth minute", () => {
    const rate = { num: 30000, den: 1001 };
    const edl = markersToEdl({ title: "渋谷ロケ_01.mov", rate, startTimecode: "00:00:59;28", markers });
    const read = readEdl(edl, rate, "00:00:59;28");
    expect(read.title).toBe("渋谷ロケ_01.mov");
    expect(read.dropFrame).toBe(true);
    expect(read.markers.map((m) => [m.number, m.startFrame, m.endFrame])).toEqual([
      [1, 0, 0],
      [2, 1, 3],
      [3, 1798, 1798],
      [4, 17980, 17985],
    ]);
    expect(read.markers.map((m) => m.color)).toEqual(["Yellow", "Red", "Blue", "Purple"]);
    expect(read.markers[1]!.text).toBe("across the ;00 and ;01 that drop frame skips");
    expect(read.markers[3]!.text).toBe("line one line two / with a bar"); // one line, no field separator
    // Marker 2 covers ;29, 01:00;02 and 01:00;03 (;00 and ;01 do not exist); its out is the next frame.
    expect(edl).toContain("002  001      V     C        00:00:59;29 00:01:00;04 00:00:59;29 00:01:00;04");
  });

  it.each([
    ["59.94 DF", { num: 60000, den: 1001 }, "01:00:00;00", true],
    ["23.976", { num: 24000, den: 1001 }, "01:00:00:00", false],
    ["25", { num: 25, den: 1 }, "10:00:00:00", false],
    ["29.97 NDF", { num: 30000, den: 1001 }, "00:59:59:00", false],
  ] as const)("%s: the same frames come back", (_, rate, start, dropFrame) => {
    const edl = markersToEdl({ title: "clip", rate, startTimecode: start, markers });
    const read = readEdl(edl, rate, start);
    expect(read.dropFrame).toBe(dropFrame);
    expect(read.markers.map((m) => [m.startFrame, m.endFrame])).toEqual(markers.map((m) => [m.startFrame, m.endFrame ?? m.startFrame]));
  });
});
