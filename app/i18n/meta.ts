import { DEFAULT_LOCALE, isLocale } from "./locale";
import { translate, type MessageKey } from "./messages";

type Match = { id: string; data?: unknown };

/** A localised document title for `meta` (the locale comes from the root loader). */
export function titleFor(matches: readonly Match[], key: MessageKey): { title: string }[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
  return [{ title: `${translate(locale, key)} — Kura` }];
}
