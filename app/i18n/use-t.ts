import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale";
import { translate, type MessageKey } from "./messages";

/** The locale decided by the root loader (cookie, then Accept-Language). */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: unknown } | undefined;
  return isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
}

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function useT(): T {
  const locale = useLocale();
  return (key, params) => translate(locale, key, params);
}
