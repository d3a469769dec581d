import { useLocale, useT } from "~/i18n/use-t";

/** A UTC time, the same on server and client (no hydration mismatch). */
export function DateTime({ value }: { value: string | null | undefined }) {
  const locale = useLocale();
  const t = useT();
  if (!value) return <span className="muted">{t("common.never")}</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  const text = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date);
  return <time dateTime={value}>{text} UTC</time>;
}
