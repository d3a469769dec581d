import { z } from "zod";
import { TimeZoneFormField } from "../time-zone";
import { RoleKeySchema } from "../admin";
import { GroupNameSchema, PersonNameSchema, ProjectNameSchema, RoleNameSchema } from "../names";
import { capabilities, checkbox, email, formField, id, tenantRole } from "./fields";

/** /admin/users: invite. */
export const InviteUserFormSchema = z.object({
  intent: z.literal("invite"),
  email,
  name: formField(PersonNameSchema),
  tenantRole,
});

/** /admin/users: change a user's tenant role. */
export const UserRoleFormSchema = z.object({
  intent: z.literal("role"),
  userId: id,
  tenantRole,
});

/** /admin/users: disable or enable. */
export const UserStatusFormSchema = z.object({
  intent: z.literal("status"),
  userId: id,
  disabled: z.enum(["true", "false"]).transform((v) => v === "true"),
});

/** /admin/users: reset a user's lost two-factor authentication (after confirmation). */
export const UserResetTwoFactorFormSchema = z.object({
  intent: z.literal("reset-2fa"),
  userId: id,
});

/** /admin/users: delete (after confirmation). */
export const UserDeleteFormSchema = z.object({
  intent: z.literal("delete"),
  userId: id,
});

/** /admin/groups: create. */
export const GroupCreateFormSchema = z.object({ intent: z.literal("create"), name: formField(GroupNameSchema) });

/** /admin/groups: rename. */
export const GroupRenameFormSchema = z.object({ intent: z.literal("rename"), groupId: id, name: formField(GroupNameSchema) });

/** /admin/groups: delete. */
export const GroupDeleteFormSchema = z.object({ intent: z.literal("delete"), groupId: id });

/** /admin/groups: add or remove a member. */
export const GroupMemberFormSchema = z.object({
  intent: z.enum(["add-member", "remove-member"]),
  groupId: id,
  userId: id,
});

/** /admin/roles: create a custom role. */
export const RoleCreateFormSchema = z.object({
  intent: z.literal("create"),
  name: formField(RoleNameSchema),
  permissions: capabilities,
});

/** /admin/roles: save one row of the matrix. */
export const RoleUpdateFormSchema = z.object({
  intent: z.literal("update"),
  roleId: id,
  name: formField(RoleNameSchema),
  permissions: capabilities,
});

/** /admin/roles: delete a custom role. */
export const RoleDeleteFormSchema = z.object({ intent: z.literal("delete"), roleId: id });

/** /admin/projects: create. */
export const ProjectCreateFormSchema = z.object({ intent: z.literal("create"), name: formField(ProjectNameSchema) });

/** /admin/projects: rename. */
export const ProjectRenameFormSchema = z.object({ intent: z.literal("rename"), projectId: id, name: formField(ProjectNameSchema) });

/** Project members: grant or change a role (user or group). */
export const ProjectGrantFormSchema = z.object({
  intent: z.literal("grant"),
  principalType: z.enum(["user", "group"]),
  principalId: id,
  role: formField(RoleKeySchema),
});

/** Project members: remove a grant. */
export const ProjectGrantRemoveFormSchema = z.object({
  intent: z.literal("remove"),
  principalType: z.enum(["user", "group"]),
  principalId: id,
});

/** /admin/security: the tenant's default time zone ("" = by language and browser). */
export const TenantTimeZoneFormSchema = z.object({
  intent: z.literal("timeZone"),
  timeZone: TimeZoneFormField,
});

/** /admin/security: tenant security settings. */
export const SecuritySettingsFormSchema = z.object({
  require2fa: checkbox,
  ipAllowlist: z
    .string()
    .max(20_000, "v.tooLong")
    .optional()
    .transform((v) => v ?? ""),
});
