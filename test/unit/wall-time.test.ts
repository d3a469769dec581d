/**
 * The share form's expiry (issue #14): a `datetime-local` value is read as a wall time in the
 * viewer's zone, and an instant is shown back the same way, across clock changes.
 */
import { describe, expect, it } from "vitest";
import { wallTimeInput, wallTimeInZone } from "~/i18n/time-zone";

const iso = (local: string, zone: string) => wallTimeInZone(local, zone)?.toISOString() ?? null;

describe("wall times in a zone", () => {
  it("reads an ordinary time in Tokyo, New York (winter and summer) and UTC", () => {
    expect(iso("2026-12-22T10:00", "Asia/Tokyo")).toBe("2026-12-22T01:00:00.000Z");
    expect(iso("2026-01-15T10:00", "America/New_York")).toBe("2026-01-15T15:00:00.000Z");
    expect(iso("2026-07-15T10:00", "America/New_York")).toBe("2026-07-15T14:00:00.000Z");
    expect(iso("2026-07-15T23:59:30", "UTC")).toBe("2026-07-15T23:59:30.000Z");
  });

  it("a time the clocks skip moves forward by the gap; a time they repeat is its first occurrence", () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(iso("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    // 1 November 2026: 02:00 EDT becomes 01:00 EST, so 01:30 happens twice.
    expect(iso("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    // Lord Howe moves by half an hour (02:00 +10:30 becomes 02:30 +11:00): 02:15 is 02:45.
    expect(iso("2026-10-04T02:15", "Australia/Lord_Howe")).toBe("2026-10-03T15:45:00.000Z");
  });

  it("what is not a date and time is null", () => {
    for (const bad of [
      "",
      "someday",
      "2026-02-30T10:00",
      "2026-13-01T10:00",
      "2026-01-01T24:00",
      "2026-01-01T10:60",
      "2026-01-01 10:00",
      "2026-01-01T10:00Z",
    ]) {
      expect(wallTimeInZone(bad, "Asia/Tokyo"), bad).toBeNull();
    }
  });

  it("an instant shown in a zone reads back as itself (to the minute)", () => {
    for (const zone of ["Asia/Tokyo", "America/New_York", "Europe/London", "Asia/Kolkata", "Pacific/Chatham"]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * 3_600_000 + 13 * 60_000) {
        const at = new Date(Math.floor(ms / 60_000) * 60_000);
        const shown = wallTimeInput(at, zone);
        expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
        // A repeated hour reads back as its first occurrence, an hour (or less) earlier.
        const back = wallTimeInZone(shown, zone)!.getTime();
        expect(at.getTime() - back === 0 || (at.getTime() - back > 0 && at.getTime() - back <= 3_600_000), `${zone} ${at.toISOString()} ${shown}`).toBe(true);
      }
    }
  });
});
