import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale";
import { translate, type MessageKey } from "./messages";

/** The locale decided by the root loader (cookie, then Accept-Language). */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: unknown } | undefined;
  return isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
}

export function useT(): (key: MessageKey) => string {
  const locale = useLocale();
  return (key) => translate(locale, key);
}
