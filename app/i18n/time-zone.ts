import { dateTimeFormat } from "./intl-formats";
import type { Locale } from "./locale";

/**
 * Time zones (ADR 0023): which zone a viewer sees times in, and a calendar
 * day in that zone as a UTC range. Pure and shared by server and browser; all
 * zone rules come from Intl (the runtime's ICU data), never from our own tables.
 */

/** The browser's zone, written by the inline script in app/root.tsx. */
export const TIME_ZONE_COOKIE = "kura_tz";

/** Japanese users see Japan's time unless they or their tenant chose otherwise. */
export const JAPAN_TIME_ZONE = "Asia/Tokyo";

/** Before the browser has told us its zone (first page of a first visit). */
export const FALLBACK_TIME_ZONE = "UTC";

let supported: ReadonlySet<string> | null = null;

/** IANA zones the runtime knows, plus "UTC" (which Intl lists only as Etc aliases). */
export function supportedTimeZones(): ReadonlySet<string> {
  supported ??= new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  return supported;
}

export function isTimeZone(value: unknown): value is string {
  return typeof value === "string" && supportedTimeZones().has(value);
}

/**
 * A zone as a browser reports it, in the spelling of the supported list (a
 * browser may report an alias such as Asia/Kolkata where the list has
 * Asia/Calcutta); null when the runtime does not know it.
 */
export function canonicalTimeZone(value: string | null | undefined): string | null {
  if (!value || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return null;
  if (isTimeZone(value)) return value;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
    return isTimeZone(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

/**
 * The zone a viewer sees: their own setting, else their tenant's, else
 * Asia/Tokyo for Japanese, else the browser's, else UTC.
 */
export function effectiveTimeZone(p: { user: string | null; tenant: string | null; locale: Locale; browser: string | null }): string {
  return p.user ?? p.tenant ?? (p.locale === "ja" ? JAPAN_TIME_ZONE : (p.browser ?? FALLBACK_TIME_ZONE));
}

type Ymd = { year: number; month: number; day: number };

function parseYmd(date: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Not a date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string) {
  const format = dateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The first instant of a calendar day in a zone. Usually local midnight; on a
 * day whose midnight is skipped by a clock change, the instant the clocks jump.
 * The offset is read at the candidate instant and read again, so a change of
 * offset between UTC midnight and local midnight (a DST day) is honoured.
 */
export function startOfDayInZone(date: string, timeZone: string): Date {
  const { year, month, day } = parseYmd(date);
  const wallMidnight = Date.UTC(year, month - 1, day);
  const first = wallMidnight - zoneOffsetMs(wallMidnight, timeZone);
  const second = wallMidnight - zoneOffsetMs(first, timeZone);
  const onTheDay = [first, second].filter((ms) => {
    const w = wallClock(ms, timeZone);
    return w.year === year && w.month === month && w.day === day;
  });
  return new Date(Math.min(...(onTheDay.length > 0 ? onTheDay : [second])));
}

/** The calendar day after `date` (YYYY-MM-DD), zone-free. */
export function nextDate(date: string): string {
  const { year, month, day } = parseYmd(date);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/**
 * Day filters (inclusive `from` and `to` days) as UTC bounds for the API's
 * `from` (inclusive) and `to` (exclusive): midnight to midnight in the zone.
 */
export function dayRangeInZone(q: { from?: string | undefined; to?: string | undefined }, timeZone: string) {
  return {
    from: q.from ? startOfDayInZone(q.from, timeZone).toISOString() : undefined,
    to: q.to ? startOfDayInZone(nextDate(q.to), timeZone).toISOString() : undefined,
  };
}

/** A time for people: date and time in the locale's style, and the zone's short name. */
export function formatDateTimeInZone(date: Date, intl: string, timeZone: string, options: { seconds?: boolean } = {}): { text: string; zone: string } {
  const text = dateTimeFormat(intl, { dateStyle: "medium", timeStyle: options.seconds ? "medium" : "short", timeZone }).format(date);
  const zone =
    dateTimeFormat(intl, { timeZone, timeZoneName: "short" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  return { text, zone };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An instant as a `datetime-local` input shows it in a zone: "YYYY-MM-DDTHH:mm". */
export function wallTimeInput(date: Date, timeZone: string): string {
  const w = wallClock(date.getTime(), timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant a `datetime-local` value ("YYYY-MM-DDTHH:mm[:ss]") names in a zone, or null when it
 * is not a real date and time. The offset is read at a first guess and read again there; of the
 * candidates, the first whose wall clock is the one asked for (a time a clock change repeats: its
 * first occurrence), else the later (a time the change skips moves forward, 02:30 → 03:30).
 */
export function wallTimeInZone(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute, seconds] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, seconds);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || seconds > 59) return null;
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  const named = [first, second].filter((ms) => {
    const w = wallClock(ms, timeZone);
    return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
  });
  return new Date(named.length > 0 ? Math.min(...named) : Math.max(first, second));
}
