/** Time zones: the account and tenant settings, and where the zone is shown. */
export const timeEn = {
  "time.zone": "Time zone",
  "time.zone.hint": "Times are shown in this zone, and audit log days run from midnight to midnight in it.",
  "time.zone.tenantDefault": "Tenant default ({zone})",
  "time.zone.automatic": "Automatic (Asia/Tokyo in Japanese, the browser's zone in English)",
  "time.zone.tenantHint": "Users who have not chosen a time zone see times in this one.",
  "time.zone.invalid": "Choose a time zone from the list.",
  "time.zone.current": "Times are shown in {zone}.",
  "time.zone.days": "Days run from midnight to midnight in {zone}.",
} as const;

export const timeJa: Record<keyof typeof timeEn, string> = {
  "time.zone": "タイムゾーン",
  "time.zone.hint": "時刻はこのタイムゾーンで表示され、監査ログの日付もこのタイムゾーンの0時から0時までです。",
  "time.zone.tenantDefault": "テナントの既定（{zone}）",
  "time.zone.automatic": "自動（日本語は Asia/Tokyo、英語はブラウザーのタイムゾーン）",
  "time.zone.tenantHint": "タイムゾーンを選んでいないユーザーには、このタイムゾーンで時刻を表示します。",
  "time.zone.invalid": "一覧からタイムゾーンを選んでください。",
  "time.zone.current": "時刻は {zone} で表示しています。",
  "time.zone.days": "日付は {zone} の0時から0時までです。",
};
