/**
 * The audit actions Kura records, in the order the audit screen offers them
 * as filters. Their readable names are messages (app/i18n/messages/audit-actions.ts,
 * auditActionLabel in app/i18n/labels.ts); an action missing here is shown by its key.
 */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.login_failed",
  "auth.login_failures_suppressed",
  "auth.logout",
  "auth.password_set",
  "auth.password_reset",
  "auth.password_reset_requested",
  "auth.password_changed",
  "auth.totp_enrollment_started",
  "auth.totp_enabled",
  "auth.totp_disabled",
  "auth.token_created",
  "auth.token_revoked",
  "user.created",
  "user.updated",
  "user.deleted",
  "user.invitation_resent",
  "user.profile_updated",
  "role.created",
  "role.updated",
  "role.deleted",
  "group.created",
  "group.updated",
  "group.deleted",
  "group.member_added",
  "group.member_removed",
  "project.created",
  "project.updated",
  "project.member_set",
  "project.member_removed",
  "metadata_field.created",
  "metadata_field.updated",
  "metadata_field.deleted",
  "folder.created",
  "folder.updated",
  "folder.deleted",
  "asset.upload_started",
  "asset.upload_aborted",
  "asset.uploaded",
  "asset.downloaded",
  "asset.updated",
  "asset.bulk_updated",
  "asset.thumbnail_set",
  "asset.deleted",
  "saved_search.created",
  "saved_search.deleted",
  "settings.updated",
  "access.denied",
  "operator.audit_exported",
  "backup.created",
  "backup.restored",
] as const;

export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];

export function isKnownAuditAction(action: string): action is KnownAuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}
