/**
 * The audit actions Kura records, with readable names for the audit screen.
 * Shared by server and UI; an action missing here is shown by its key.
 */
export const AUDIT_ACTIONS = {
  "auth.login": { en: "Signed in", ja: "ログイン" },
  "auth.login_failed": { en: "Sign-in failed", ja: "ログイン失敗" },
  "auth.login_failures_suppressed": { en: "Further failed sign-ins not recorded (too many)", ja: "ログイン失敗が多すぎるため以降の記録を省略" },
  "auth.logout": { en: "Signed out", ja: "ログアウト" },
  "auth.password_set": { en: "Set first password", ja: "初回パスワード設定" },
  "auth.password_reset": { en: "Reset password", ja: "パスワード再設定" },
  "auth.password_reset_requested": { en: "Asked for a password reset", ja: "パスワード再設定の依頼" },
  "auth.password_changed": { en: "Changed password", ja: "パスワード変更" },
  "auth.totp_enrollment_started": { en: "Started two-factor set-up", ja: "二要素認証の設定開始" },
  "auth.totp_enabled": { en: "Turned two-factor on", ja: "二要素認証を有効化" },
  "auth.totp_disabled": { en: "Turned two-factor off", ja: "二要素認証を無効化" },
  "auth.token_created": { en: "Created an API token", ja: "API トークン作成" },
  "auth.token_revoked": { en: "Revoked an API token", ja: "API トークン失効" },
  "user.created": { en: "Invited a user", ja: "ユーザー招待" },
  "user.updated": { en: "Changed a user", ja: "ユーザー変更" },
  "user.deleted": { en: "Deleted a user", ja: "ユーザー削除" },
  "user.invitation_resent": { en: "Invitation link sent again", ja: "招待リンクの再送" },
  "user.profile_updated": { en: "Changed own profile", ja: "プロフィール変更" },
  "role.created": { en: "Created a role", ja: "ロール作成" },
  "role.updated": { en: "Changed a role", ja: "ロール変更" },
  "role.deleted": { en: "Deleted a role", ja: "ロール削除" },
  "group.created": { en: "Created a group", ja: "グループ作成" },
  "group.updated": { en: "Renamed a group", ja: "グループ名変更" },
  "group.deleted": { en: "Deleted a group", ja: "グループ削除" },
  "group.member_added": { en: "Added a group member", ja: "グループメンバー追加" },
  "group.member_removed": { en: "Removed a group member", ja: "グループメンバー削除" },
  "project.created": { en: "Created a project", ja: "プロジェクト作成" },
  "project.updated": { en: "Renamed a project", ja: "プロジェクト名変更" },
  "project.member_set": { en: "Granted a project role", ja: "プロジェクト権限付与" },
  "project.member_removed": { en: "Removed a project member", ja: "プロジェクトメンバー削除" },
  "metadata_field.created": { en: "Created a metadata field", ja: "メタデータ項目作成" },
  "metadata_field.updated": { en: "Changed a metadata field", ja: "メタデータ項目変更" },
  "metadata_field.deleted": { en: "Deleted a metadata field", ja: "メタデータ項目削除" },
  "folder.created": { en: "Created a folder", ja: "フォルダー作成" },
  "folder.updated": { en: "Changed a folder", ja: "フォルダー変更" },
  "folder.deleted": { en: "Deleted a folder", ja: "フォルダー削除" },
  "asset.upload_started": { en: "Started an upload", ja: "アップロード開始" },
  "asset.upload_aborted": { en: "Cancelled an upload", ja: "アップロード中止" },
  "asset.uploaded": { en: "Uploaded a file", ja: "ファイルのアップロード" },
  "asset.downloaded": { en: "Downloaded", ja: "ダウンロード" },
  "asset.updated": { en: "Changed an asset", ja: "アセット変更" },
  "asset.bulk_updated": { en: "Changed several assets", ja: "アセット一括変更" },
  "asset.thumbnail_set": { en: "Set a thumbnail", ja: "サムネイル設定" },
  "asset.deleted": { en: "Deleted an asset", ja: "アセット削除" },
  "saved_search.created": { en: "Saved a search", ja: "検索条件の保存" },
  "saved_search.deleted": { en: "Deleted a saved search", ja: "保存した検索の削除" },
  "settings.updated": { en: "Changed security settings", ja: "セキュリティ設定変更" },
  "access.denied": { en: "Access denied", ja: "アクセス拒否" },
  "operator.audit_exported": { en: "Operator exported the log", ja: "運営者による監査ログ出力" },
} as const satisfies Record<string, { en: string; ja: string }>;

export type KnownAuditAction = keyof typeof AUDIT_ACTIONS;

export function auditActionLabel(action: string, locale: "ja" | "en"): string {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action as KnownAuditAction][locale] : action;
}
