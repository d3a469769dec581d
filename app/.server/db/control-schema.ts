import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Control plane: the service provider's own records. Nothing here is customer
 * content; the operator console reads only this database (and usage figures).
 */

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** Tenant-data shards: key -> D1 binding name. A new shard is a row + a binding. */
export const shards = sqliteTable("shards", {
  key: text("key").primaryKey(),
  binding: text("binding").notNull(),
  acceptsNewTenants: integer("accepts_new_tenants", { mode: "boolean" }).notNull().default(true),
  createdAt: text("created_at").notNull().default(now),
});

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "terminated", "purged"] })
      .notNull()
      .default("active"),
    shardKey: text("shard_key")
      .notNull()
      .references(() => shards.key),
    /** Contract contact; the identity issue turns it into the first tenant admin. */
    adminEmail: text("admin_email").notNull(),
    storageQuotaBytes: integer("storage_quota_bytes").notNull(),
    usageBytes: integer("usage_bytes").notNull().default(0),
    usageAssets: integer("usage_assets").notNull().default(0),
    createdAt: text("created_at").notNull().default(now),
    terminatedAt: text("terminated_at"),
    purgeAfter: text("purge_after"),
    purgedAt: text("purged_at"),
    /**
     * The shard a move is taking the tenant to (ADR 0028), while it runs: the tenant's mirror
     * says "moving" and refuses every credential, and the status reconciliation leaves it alone.
     */
    movingTo: text("moving_to"),
  },
  (t) => [index("tenants_created_idx").on(t.createdAt, t.id), index("tenants_shard_idx").on(t.shardKey)],
);

/**
 * Each tenant's data key (32 random bytes) for its backups, wrapped by a key derived from
 * DATA_ENCRYPTION_KEY (ADR 0025). Deleting the row is a purge's first step (crypto-shredding):
 * every backup part of the tenant, wherever a copy survives, is unreadable from then on.
 */
export const tenantKeys = sqliteTable("tenant_keys", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  wrappedKey: text("wrapped_key").notNull(),
  createdAt: text("created_at").notNull().default(now),
});

/**
 * Backup runs (ADR 0025): one row per run, a generation being a tenant's newest complete run of a
 * day. Numbers and names only; the content is sealed in the BACKUPS bucket.
 */
export const backupRuns = sqliteTable(
  "backup_runs",
  {
    runId: text("run_id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    generation: text("generation").notNull(),
    status: text("status", { enum: ["running", "complete", "failed"] }).notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    bytes: integer("bytes").notNull().default(0),
    rows: integer("rows").notNull().default(0),
    error: text("error"),
  },
  (t) => [index("backup_runs_tenant_idx").on(t.tenantId, t.generation, t.startedAt)],
);

export const announcements = sqliteTable(
  "announcements",
  {
    id: text("id").primaryKey(),
    severity: text("severity", { enum: ["info", "maintenance", "incident"] }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** JSON array of tenant ids, or NULL for every tenant (and the public status page). */
    tenantIds: text("tenant_ids"),
    createdAt: text("created_at").notNull().default(now),
    endsAt: text("ends_at"),
  },
  (t) => [index("announcements_created_idx").on(t.createdAt)],
);

/** Every e-mail the service sends; in development the only destination. */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text_body").notNull(),
    tenantId: text("tenant_id"),
    createdAt: text("created_at").notNull().default(now),
    deliveredAt: text("delivered_at"),
  },
  (t) => [index("email_outbox_to_idx").on(t.to, t.createdAt)],
);

/**
 * Fixed-window counters for throttling (failed logins, OTP attempts, reset
 * requests), per account and per IP, shared by every isolate.
 */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

/**
 * Deletion certificates (ADR 0026): what a purge deleted and the honest windows, as the JSON that
 * is signed (signed when read, with the operator signing key; the body never changes once written).
 * All that remains of a purged tenant besides its contract facts in `tenants`.
 */
export const deletionCertificates = sqliteTable("deletion_certificates", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  purgedAt: text("purged_at").notNull(),
  body: text("body").notNull(),
});

/**
 * Daily storage snapshots (numbers only): one row per tenant and day with `project_id` '' for the
 * tenant's total (with its quota that day), and one per project. For the operator's usage view.
 */
export const usageSnapshots = sqliteTable(
  "usage_snapshots",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    day: text("day").notNull(),
    projectId: text("project_id").notNull(),
    bytes: integer("bytes").notNull(),
    assets: integer("assets").notNull(),
    quotaBytes: integer("quota_bytes"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.projectId] }), index("usage_snapshots_day_idx").on(t.day)],
);

/** The quota warning level (80 or 100 per cent) a tenant's admins were last e-mailed about; 0 below 80%. */
export const quotaWarnings = sqliteTable("quota_warnings", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  level: integer("level").notNull(),
  notifiedAt: text("notified_at").notNull(),
});

/**
 * The service provider's staff who use the operator console (ADR 0027): password and TOTP, both
 * required. The first one is created with the bootstrap token (OPERATOR_TOKEN); it never signs in.
 */
export const operators = sqliteTable("operators", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  /** AES-GCM sealed with DATA_ENCRYPTION_KEY (context "operator-totp:<id>"). */
  totpKey: text("totp_key").notNull(),
  /** The newest TOTP step accepted: a code is never accepted twice. */
  totpLastStep: integer("totp_last_step").notNull().default(0),
  status: text("status", { enum: ["pending_totp", "active", "disabled"] }).notNull(),
  createdAt: text("created_at").notNull().default(now),
});

/** Console sign-ins: a `challenge` (password checked, code owed) or a `full` session; tokens stored hashed. */
export const operatorSessions = sqliteTable(
  "operator_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    operatorId: text("operator_id")
      .notNull()
      .references(() => operators.id),
    stage: text("stage", { enum: ["challenge", "full"] }).notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
  },
  (t) => [index("operator_sessions_operator_idx").on(t.operatorId)],
);

/** Every operator action, by a console operator or by the API's bearer token; never customer content. */
export const operatorAudit = sqliteTable(
  "operator_audit",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    /** Null for the API's bearer token (automation). */
    operatorId: text("operator_id"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: text("details"),
    ip: text("ip"),
  },
  (t) => [index("operator_audit_at_idx").on(t.at)],
);

/**
 * Where a share link's token leads (issue #14): its SHA-256 and the tenant, so the token in a URL
 * can carry nothing else. The tenant's own row (share_links) holds the rest.
 */
export const shareLinkIndex = sqliteTable(
  "share_link_index",
  {
    tokenHash: text("token_hash").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("share_link_index_tenant_idx").on(t.tenantId)],
);
