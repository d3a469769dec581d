import { useLocale, useT } from "~/i18n/use-t";
import { intlLocale } from "~/i18n/locale";
import { useTimeZone } from "~/i18n/use-time-zone";
import { formatDateTimeInZone } from "~/i18n/time-zone";

/**
 * The guest's identity over the picture, tiled across it so no crop hides it (issue #14). Drawn by
 * the page over the player; it deters a screen recording being passed on, and says who it came
 * from when it is. Pointer events pass through to the picture and the drawing layer.
 */
export function Watermark({ name, at }: { name: string; at: string }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const date = formatDateTimeInZone(new Date(at), intlLocale(locale), timeZone, { seconds: false }).text;
  const text = t("guest.watermark", { name, date });
  return (
    <div className="guest-watermark" aria-hidden="true" data-testid="guest-watermark">
      {Array.from({ length: 12 }, (_, i) => (
        <span key={i}>{text}</span>
      ))}
    </div>
  );
}
