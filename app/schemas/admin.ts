import { z } from "zod";
import { SharePolicySchema } from "./review";
import { BUILT_IN_ROLE_KEYS, CAPABILITIES } from "~/policy/capabilities";
import { reasoned } from "./error-reasons";
import { TimeZoneSettingSchema } from "./time-zone";
import {
  GroupNameSchema,
  MetadataFieldKeySchema,
  MetadataFieldLabelSchema,
  MetadataOptionSchema,
  PersonNameSchema,
  ProjectNameSchema,
  RoleNameSchema,
} from "./names";

/** Schemas of the Tenant administration section of the contract. */

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{26}$`));

export const TenantRoleSchema = z.enum(["tenant_admin", "user"]);

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  tenantRole: TenantRoleSchema,
  status: z.enum(["invited", "active", "disabled"]),
  disabled: z.boolean(),
  twoFactorEnabled: z.boolean(),
  locale: z.enum(["ja", "en"]).nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

export const UserParamsSchema = z.object({ userId: id("usr") });

export const CreateUserBodySchema = z
  .object({
    email: z
      .email("Must be an e-mail address.")
      .max(254)
      .transform((e) => e.toLowerCase()),
    name: PersonNameSchema.optional(),
    tenantRole: TenantRoleSchema,
  })
  .strict();

export const CreateUserResponseSchema = z.object({
  user: UserSchema,
  setupToken: z.string().describe("Single-use setup token (7 days); also e-mailed as a link"),
});

export const UpdateUserBodySchema = z
  .object({
    name: PersonNameSchema.optional(),
    tenantRole: TenantRoleSchema.optional(),
    disabled: z.boolean().optional(),
    resetTwoFactor: z.literal(true).optional().describe("Turns the user's 2FA off (lost authenticator and recovery codes) and ends their sessions"),
  })
  .strict();

export const TenantSettingsSchema = z.object({
  require2fa: z.boolean(),
  ipAllowlist: z.array(z.string()),
  defaultLocale: z.enum(["ja", "en"]),
  timeZone: z.string().nullable().describe("Default time zone of the tenant's users; null = Asia/Tokyo in Japanese, else the browser's"),
  sharePolicy: SharePolicySchema.describe("Rules for every share link of the tenant (issue #14)"),
});

export const UpdateTenantSettingsBodySchema = z
  .object({
    require2fa: z.boolean().optional(),
    ipAllowlist: z.array(z.string().max(64)).max(200).optional().describe("IPv4/IPv6 addresses or CIDR ranges; empty = no restriction"),
    defaultLocale: z.enum(["ja", "en"]).optional(),
    timeZone: TimeZoneSettingSchema.describe("IANA time zone, or null for the default by language"),
    sharePolicy: SharePolicySchema.optional().describe("The whole share policy (missing fields take their defaults)"),
  })
  .strict();

export const CapabilitySchema = z.enum(CAPABILITIES);

export const PermissionSchema = z.object({ key: CapabilitySchema, description: z.string(), descriptionJa: z.string() });

export const RoleSchema = z.object({
  id: z.string().describe("project_admin | member | viewer, or a custom role id"),
  name: z.string(),
  permissions: z.array(CapabilitySchema),
  builtIn: z.boolean(),
});

/** Built-in role keys are accepted in the path so PATCH/DELETE can answer 409. */
export const RoleParamsSchema = z.object({ roleId: z.union([id("rol"), z.enum(BUILT_IN_ROLE_KEYS)]) });

/** A role key a grant names: a built-in role's key or a custom role's id (never any other string). */
const RoleKeyShape = z.union([z.enum(BUILT_IN_ROLE_KEYS), id("rol")]);
/** A refinement (so the issue carries its reason, ADR 0020), documented as the union it checks. */
export const RoleKeySchema = z
  .string({ error: "Unknown role." })
  .refine((s) => RoleKeyShape.safeParse(s).success, reasoned("Unknown role.", "role_unknown"))
  .meta({ anyOf: [{ enum: [...BUILT_IN_ROLE_KEYS] }, { pattern: "^rol_[a-z2-7]{26}$" }] });

const roleName = RoleNameSchema;

export const CreateRoleBodySchema = z.object({ name: roleName, permissions: z.array(CapabilitySchema).max(CAPABILITIES.length * 2) }).strict();

export const UpdateRoleBodySchema = z
  .object({
    name: roleName.optional(),
    permissions: z
      .array(CapabilitySchema)
      .max(CAPABILITIES.length * 2)
      .optional(),
  })
  .strict();

export const GroupSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), memberIds: z.array(z.string()) });

export const GroupParamsSchema = z.object({ groupId: id("grp") });
export const GroupMemberParamsSchema = z.object({ groupId: id("grp"), userId: id("usr") });

export const CreateGroupBodySchema = z.object({ name: GroupNameSchema }).strict();

export const ProjectSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export const ProjectDetailSchema = ProjectSchema.extend({
  myPermissions: z.array(CapabilitySchema).describe("The caller's effective capabilities in this project"),
});

export const ProjectParamsSchema = z.object({ projectId: id("prj") });
export const ProjectMemberParamsSchema = z.object({ projectId: id("prj"), userId: id("usr") });
export const ProjectGroupParamsSchema = z.object({ projectId: id("prj"), groupId: id("grp") });

export const ProjectBodySchema = z.object({ name: ProjectNameSchema }).strict();

export const GrantBodySchema = z.object({ role: RoleKeySchema.describe("project_admin | member | viewer | a custom role id") }).strict();

export const ProjectGrantSchema = z.object({
  principalType: z.enum(["user", "group"]),
  principalId: z.string(),
  role: z.string(),
});

export const METADATA_FIELD_TYPES = ["text", "textarea", "number", "date", "datetime", "select", "multiselect", "boolean", "url", "email"] as const;

export const MetadataFieldSchema = z.object({
  id: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(METADATA_FIELD_TYPES),
  options: z.array(z.string()).nullable(),
  createdAt: z.string(),
});

export const CreateMetadataFieldBodySchema = z
  .object({
    key: MetadataFieldKeySchema,
    label: MetadataFieldLabelSchema,
    type: z.enum(METADATA_FIELD_TYPES),
    options: z.array(MetadataOptionSchema).min(1).max(200).optional(),
  })
  .strict()
  .superRefine((v, issue) => {
    const needsOptions = v.type === "select" || v.type === "multiselect";
    if (needsOptions && !v.options) issue.addIssue({ code: "custom", path: ["options"], message: "A select field needs options." });
    if (!needsOptions && v.options) issue.addIssue({ code: "custom", path: ["options"], message: "Only select fields take options." });
    if (v.options && new Set(v.options).size !== v.options.length) {
      issue.addIssue({ code: "custom", path: ["options"], message: "Options must be distinct." });
    }
  });

export const MetadataFieldParamsSchema = z.object({ fieldId: id("fld") });

export const OutboxQuerySchema = z.object({
  to: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase())
    .optional()
    .describe("Only mail to this address"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const OutboxItemSchema = z.object({ to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() });

export const UpdateMetadataFieldBodySchema = z
  .object({
    label: MetadataFieldLabelSchema.optional(),
    options: z.array(MetadataOptionSchema).min(1).max(200).optional(),
  })
  .strict();
