import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Tenant-data plane: everything a customer owns. Every table carries
 * `tenant_id`, and every query goes through db/tenant-data.server.ts, which
 * takes the tenant from the authenticated context.
 */

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const tenantSettings = sqliteTable("tenant_settings", {
  tenantId: text("tenant_id").primaryKey(),
  /** Tenant display locale default for new users. */
  defaultLocale: text("default_locale", { enum: ["ja", "en"] }).notNull().default("ja"),
  require2fa: integer("require_2fa", { mode: "boolean" }).notNull().default(false),
  /** JSON array of CIDR strings; empty = no restriction. */
  ipAllowlist: text("ip_allowlist").notNull().default("[]"),
  createdAt: text("created_at").notNull().default(now),
  updatedAt: text("updated_at").notNull().default(now),
});

// ---------------------------------------------------------------------------
// Identity and access
// ---------------------------------------------------------------------------

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /** Lower-cased: e-mails compare case-insensitively. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    tenantRole: text("tenant_role", { enum: ["tenant_admin", "user"] }).notNull(),
    /** invited: no password yet; disabled: cannot sign in, sessions revoked. */
    status: text("status", { enum: ["invited", "active", "disabled"] }).notNull().default("invited"),
    /** PHC string with its own parameters, so the cost can be raised later. */
    passwordHash: text("password_hash"),
    /** AES-GCM encrypted TOTP key (enabled or pending confirmation). */
    totpSecret: text("totp_secret"),
    totpEnabled: integer("totp_enabled", { mode: "boolean" }).notNull().default(false),
    /** Highest TOTP time step accepted: replays of it or older are refused. */
    totpLastStep: integer("totp_last_step").notNull().default(0),
    locale: text("locale", { enum: ["ja", "en"] }),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
    lastLoginAt: text("last_login_at"),
    passwordChangedAt: text("password_changed_at"),
  },
  (t) => [uniqueIndex("users_tenant_email_unique").on(t.tenantId, t.email), index("users_tenant_idx").on(t.tenantId, t.createdAt)],
);

/**
 * Browser sessions and API session tokens. The primary key is the SHA-256 of
 * the token: a leaked database does not yield usable tokens.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["browser", "api"] }).notNull(),
    createdAt: text("created_at").notNull().default(now),
    lastSeenAt: text("last_seen_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
    lastUsedAt: text("last_used_at"),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

/** Single-use setup (invite, first admin) and password-reset tokens, hashed. */
export const oneTimeTokens = sqliteTable(
  "one_time_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["setup", "reset", "login_challenge"] }).notNull(),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("one_time_tokens_user_idx").on(t.userId, t.purpose)],
);

export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").notNull(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    usedAt: text("used_at"),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

export const groups = sqliteTable(
  "groups",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("groups_tenant_name_unique").on(t.tenantId, t.name)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    tenantId: text("tenant_id").notNull(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId)],
);

/** Custom project roles built from the capability catalog. */
export const roles = sqliteTable(
  "roles",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    /** JSON array of capability keys. */
    permissions: text("permissions").notNull(),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("roles_tenant_name_unique").on(t.tenantId, t.name)],
);

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    createdAt: text("created_at").notNull().default(now),
    createdBy: text("created_by"),
  },
  (t) => [index("projects_tenant_idx").on(t.tenantId, t.name)],
);

/** A role granted on a project to a user or a group. */
export const projectGrants = sqliteTable(
  "project_grants",
  {
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    principalType: text("principal_type", { enum: ["user", "group"] }).notNull(),
    principalId: text("principal_id").notNull(),
    /** A built-in role key or a custom role id. */
    role: text("role").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.principalType, t.principalId] }),
    index("project_grants_principal_idx").on(t.principalType, t.principalId),
    index("project_grants_role_idx").on(t.role),
  ],
);

export const metadataFields = sqliteTable(
  "metadata_fields",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: text("type", {
      enum: ["text", "textarea", "number", "date", "datetime", "select", "multiselect", "boolean", "url", "email"],
    }).notNull(),
    /** JSON array of allowed values for select/multiselect. */
    options: text("options"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("metadata_fields_tenant_key_unique").on(t.tenantId, t.key)],
);

/**
 * Transactional outbox of the audit log: an action's event is inserted in
 * the same D1 batch (one transaction) as the action itself, then moved to
 * the tenant's AuditLog Durable Object before the response is sent. A row
 * left behind by a failed move is moved by the next flush (any audited
 * request or audit read of the tenant, and the scheduled job). ADR 0008.
 */
export const auditOutbox = sqliteTable(
  "audit_outbox",
  {
    /** The event id: the Durable Object ignores an id it already holds. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /** The event as JSON (AuditEventInput). */
    event: text("event").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("audit_outbox_tenant_idx").on(t.tenantId, t.createdAt)],
);
