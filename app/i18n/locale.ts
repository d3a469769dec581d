export const LOCALES = ["ja", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** Japanese first: the default when nothing else decides. */
export const DEFAULT_LOCALE: Locale = "ja";
export const LOCALE_COOKIE = "kura_locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/** Accept-Language with q-values; the best-ranked language we support wins. */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((entry, index) => {
      const [tag = "", ...params] = entry.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: tag.toLowerCase().split("-")[0] ?? "", quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((e) => e.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((e) => e.lang).find(isLocale) ?? null;
}

/** The language chosen with the switcher, if any. */
export function localeFromCookie(request: Request): Locale | null {
  const chosen = cookieValue(request.headers.get("Cookie"), LOCALE_COOKIE);
  return isLocale(chosen) ? chosen : null;
}

/** The user's explicit choice (cookie; later, their profile) beats the browser. */
export function resolveLocale(request: Request): Locale {
  const chosen = cookieValue(request.headers.get("Cookie"), LOCALE_COOKIE);
  if (isLocale(chosen)) return chosen;
  return localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

/** The Intl locale of a UI language: the one place that maps ja/en to number and date formats. */
export function intlLocale(locale: Locale): string {
  return locale === "ja" ? "ja-JP" : "en-GB";
}
