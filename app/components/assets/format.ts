/** Display formats for asset values; the same on server and client (no hydration mismatch). */
import { dateTimeFormat, numberFormat } from "~/i18n/intl-formats";
import { intlLocale, type Locale } from "~/i18n/locale";
import { formatDateTimeInZone } from "~/i18n/time-zone";

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

const byteFormat = (locale: Locale, digits: number) => numberFormat(intlLocale(locale), { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** Bytes in decimal units (what file managers show), e.g. 1.5 GB. */
export function formatBytes(bytes: number | null | undefined, locale: Locale = "en"): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${byteFormat(locale, digits).format(value)} ${UNITS[unit]}`;
}

/** Seconds as H:MM:SS (or M:SS), with tenths for clips under a minute. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 60) return `0:${seconds < 10 ? "0" : ""}${(Math.floor(seconds * 10) / 10).toFixed(1)}`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/** Frame rates as people write them: 29.97, 23.976, 25, 59.94. */
export function formatFrameRate(fps: number | null | undefined): string {
  if (fps === null || fps === undefined || !Number.isFinite(fps) || fps <= 0) return "—";
  const ntsc = [23.976, 29.97, 47.952, 59.94, 119.88];
  const near = ntsc.find((n) => Math.abs(n - fps) < 0.005);
  if (near !== undefined) return String(near);
  const rounded = Math.round(fps * 1000) / 1000;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(3).replace(/0+$/, "");
}

export function formatResolution(width: number | null | undefined, height: number | null | undefined): string {
  return width && height ? `${width}×${height}` : "—";
}

export function formatBitRate(bps: number | null | undefined): string {
  if (!bps || !Number.isFinite(bps)) return "—";
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(bps >= 1e7 ? 0 : 1)} Mb/s`;
  if (bps >= 1e3) return `${Math.round(bps / 1e3)} kb/s`;
  return `${bps} b/s`;
}

export function formatSampleRate(hz: number | null | undefined): string {
  if (!hz || !Number.isFinite(hz)) return "—";
  return hz % 1000 === 0 ? `${hz / 1000} kHz` : `${(hz / 1000).toFixed(1)} kHz`;
}

export function formatNumber(n: number, locale: Locale): string {
  return numberFormat(intlLocale(locale)).format(n);
}

/** A date-time in the viewer's zone, short, with the zone's short name (for tables). */
export function formatDateTime(iso: string | null | undefined, locale: Locale, timeZone: string): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const { text, zone } = formatDateTimeInZone(d, intlLocale(locale), timeZone);
  return `${text} ${zone}`;
}

export function formatDay(day: string, locale: Locale): string {
  const d = new Date(`${day}T00:00:00Z`);
  return dateTimeFormat(intlLocale(locale), { month: "short", day: "numeric", timeZone: "UTC" }).format(d);
}
