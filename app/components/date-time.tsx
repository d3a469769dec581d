import { intlLocale } from "~/i18n/locale";
import { formatDateTimeInZone } from "~/i18n/time-zone";
import { useTimeZone } from "~/i18n/use-time-zone";
import { useLocale, useT } from "~/i18n/use-t";

/**
 * A time in the viewer's zone with the zone's name beside it (ADR 0023). The
 * zone comes from the root loader, so server and browser render the same text.
 */
export function DateTime({ value }: { value: string | null | undefined }) {
  const locale = useLocale();
  const timeZone = useTimeZone();
  const t = useT();
  if (!value) return <span className="muted">{t("common.never")}</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  const { text, zone } = formatDateTimeInZone(date, intlLocale(locale), timeZone);
  return (
    <time dateTime={value} title={timeZone}>
      {text} {zone}
    </time>
  );
}
