/**
 * Display formats of camera and stream facts in the technical table; pure, so
 * the same on server and client and testable in the Node unit project.
 */
import { dateTimeFormat } from "~/i18n/intl-formats";
import { intlLocale, type Locale } from "~/i18n/locale";

/**
 * An EXIF date-time as the camera recorded it ("2022-02-16T12:55:41+01:00"):
 * the wall-clock time is shown unchanged (never converted to another zone),
 * formatted for the UI language, followed by its UTC offset when the camera
 * wrote one. Unparseable values are returned as they are.
 */
export function formatCameraDateTime(value: string, locale: Locale): string {
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-]\d{2}:\d{2})?$/);
  if (!m) return value;
  const [, y, mo, d, h, mi, s, offset] = m;
  const wallClock = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(wallClock.getTime())) return value;
  // Formatting in UTC prints the stored fields back unchanged.
  const text = dateTimeFormat(intlLocale(locale), { dateStyle: "long", timeStyle: "medium", timeZone: "UTC" }).format(wallClock);
  return offset ? `${text} (UTC${offset})` : text;
}

/** Exposure time as photographers write it: 1/250 s below a second, 2.5 s above. */
export function formatShutter(seconds: number): string {
  if (!(seconds > 0)) return "—";
  if (seconds >= 1) return `${Math.round(seconds * 10) / 10} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

export function formatAperture(fNumber: number): string {
  return `f/${Math.round(fNumber * 10) / 10}`;
}

export function formatFocalLength(mm: number): string {
  return `${Math.round(mm * 10) / 10} mm`;
}
