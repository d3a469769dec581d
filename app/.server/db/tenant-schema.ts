import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Tenant-data plane: everything a customer owns. Every table carries
 * `tenant_id`, and every query goes through db/tenant-data.server.ts, which
 * takes the tenant from the authenticated context.
 */

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const tenantSettings = sqliteTable("tenant_settings", {
  tenantId: text("tenant_id").primaryKey(),
  /** Tenant display locale default for new users. */
  defaultLocale: text("default_locale", { enum: ["ja", "en"] })
    .notNull()
    .default("ja"),
  require2fa: integer("require_2fa", { mode: "boolean" }).notNull().default(false),
  /** JSON array of CIDR strings; empty = no restriction. */
  ipAllowlist: text("ip_allowlist").notNull().default("[]"),
  /** IANA zone users see times in unless they chose their own; null = by language (ADR 0023). */
  timeZone: text("time_zone"),
  /** JSON of the share policy (app/schemas/review.ts SharePolicySchema); {} = its defaults. */
  sharePolicy: text("share_policy").notNull().default("{}"),
  /**
   * The tenant's contract state, mirrored from the control plane next to its
   * credentials, where every request's credential check reads it (ADR 0015).
   * Written by setTenantStatus (tenants.server.ts) before the control plane.
   * "moving" while a move to another shard runs (ADR 0028): only "active" lets
   * a credential through.
   */
  status: text("status", { enum: ["active", "terminated", "purged", "moving"] })
    .notNull()
    .default("active"),
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
    status: text("status", { enum: ["invited", "active", "disabled"] })
      .notNull()
      .default("invited"),
    /** PHC string with its own parameters, so the cost can be raised later. */
    passwordHash: text("password_hash"),
    /** AES-GCM encrypted TOTP key (enabled or pending confirmation). */
    totpSecret: text("totp_secret"),
    totpEnabled: integer("totp_enabled", { mode: "boolean" }).notNull().default(false),
    /** Highest TOTP time step accepted: replays of it or older are refused. */
    totpLastStep: integer("totp_last_step").notNull().default(0),
    locale: text("locale", { enum: ["ja", "en"] }),
    /** IANA zone the user sees times in; null = the tenant's (ADR 0023). */
    timeZone: text("time_zone"),
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
  // Names are unique per tenant like groups and roles (NFC, trimmed, case-sensitive; migration 0009).
  (t) => [uniqueIndex("projects_tenant_name_unique").on(t.tenantId, t.name)],
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

// ---------------------------------------------------------------------------
// Assets (issue #5). Storage keys are built from ids by storage/keys.server.ts;
// user-supplied names live only here, as display names.
// ---------------------------------------------------------------------------

export const folders = sqliteTable(
  "folders",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** NULL = the project root. */
    parentId: text("parent_id"),
    name: text("name").notNull(),
    /** Typed user metadata ({fieldKey: value}) as JSON, like assets. */
    metadata: text("metadata").notNull().default("{}"),
    createdAt: text("created_at").notNull().default(now),
    createdBy: text("created_by"),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    // Sibling names are unique; the root (NULL parent) is folded to '' so it is covered too.
    uniqueIndex("folders_sibling_name_unique").on(t.projectId, sql`coalesce(${t.parentId}, '')`, t.name),
    index("folders_parent_idx").on(t.parentId),
  ],
);

export const assets = sqliteTable(
  "assets",
  {
    /**
     * Stable integer row id: the full-text index (assets_fts, external
     * content) refers to rows by it, and an implicit rowid may be renumbered
     * by VACUUM.
     */
    rid: integer("rid").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    folderId: text("folder_id"),
    /** Display name as uploaded (NFC, checked); never part of a storage key. */
    name: text("name").notNull(),
    /** Sort key for `sort=name`: NFKC, lower-cased. */
    nameKey: text("name_key").notNull(),
    size: integer("size").notNull(),
    /** Sniffed from the bytes once processed; until then the client's claim. */
    contentType: text("content_type").notNull(),
    kind: text("kind", { enum: ["video", "audio", "image", "other"] }).notNull(),
    status: text("status", { enum: ["processing", "ready", "failed"] })
      .notNull()
      .default("processing"),
    /** Why processing failed, or what could not be read of a ready file. */
    problem: text("problem"),
    sha256: text("sha256"),
    /** R2 ETag of the original, for conditional and ranged downloads. */
    etag: text("etag"),
    /** JSON of the contract's `technical` object. */
    technical: text("technical").notNull().default("{}"),
    /** Technical values kept as columns so that range filters use them. */
    durationSeconds: real("duration_seconds"),
    width: integer("width"),
    height: integer("height"),
    /** JSON {fieldKey: value}, validated against metadata_fields. */
    metadata: text("metadata").notNull().default("{}"),
    /** JSON array, the display copy of asset_tags (sorted). */
    tags: text("tags").notNull().default("[]"),
    colorLabel: text("color_label"),
    /** Name, tags and text metadata: what `q` searches (assets_fts). */
    searchText: text("search_text").notNull().default(""),
    thumbnailContentType: text("thumbnail_content_type"),
    thumbnailSize: integer("thumbnail_size"),
    /**
     * Held while a thumbnail is being stored ("<ISO time>|<random>"), so that
     * writes of one asset's thumbnail take turns and its usage stays exact
     * (ADR 0019). A claim older than a minute is abandoned and may be taken.
     */
    thumbnailClaim: text("thumbnail_claim"),
    createdAt: text("created_at").notNull().default(now),
    createdBy: text("created_by"),
    updatedAt: text("updated_at").notNull().default(now),
    processedAt: text("processed_at"),
    /** Processing attempts, so a stuck job is retried a bounded number of times. */
    attempts: integer("attempts").notNull().default(0),
    /**
     * Bytes of the objects the transcoder derived (proxy, poster, filmstrip, waveform, preview;
     * not the thumbnail, which thumbnail_size counts), kept in usage like the original (ADR 0030).
     */
    derivedBytes: integer("derived_bytes").notNull().default(0),
  },
  (t) => [
    index("assets_project_created_idx").on(t.projectId, t.createdAt, t.id),
    index("assets_project_name_idx").on(t.projectId, t.nameKey, t.id),
    index("assets_project_size_idx").on(t.projectId, t.size, t.id),
    index("assets_folder_created_idx").on(t.folderId, t.createdAt, t.id),
    index("assets_folder_name_idx").on(t.folderId, t.nameKey, t.id),
    index("assets_status_idx").on(t.status, t.updatedAt),
  ],
);

export const assetTags = sqliteTable(
  "asset_tags",
  {
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id").notNull(),
    assetId: text("asset_id").notNull(),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.tag] }), index("asset_tags_project_tag_idx").on(t.projectId, t.tag)],
);

/** Multipart uploads in progress. `size` is reserved against the quota while open. */
export const uploads = sqliteTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    folderId: text("folder_id"),
    /** The asset id the upload becomes; its storage key is fixed at creation. */
    assetId: text("asset_id").notNull(),
    name: text("name").notNull(),
    size: integer("size").notNull(),
    contentType: text("content_type"),
    partSize: integer("part_size").notNull(),
    partCount: integer("part_count").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    status: text("status", { enum: ["open", "completing", "completed", "aborted"] })
      .notNull()
      .default("open"),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("uploads_tenant_status_idx").on(t.tenantId, t.status), index("uploads_expiry_idx").on(t.status, t.expiresAt)],
);

export const uploadParts = sqliteTable(
  "upload_parts",
  {
    tenantId: text("tenant_id").notNull(),
    uploadId: text("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.partNumber] })],
);

/** Exact stored bytes and asset counts per project, changed in the same batch as the assets. */
export const projectUsage = sqliteTable("project_usage", {
  projectId: text("project_id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  bytes: integer("bytes").notNull().default(0),
  assets: integer("assets").notNull().default(0),
});

/** The tenant's usage at the end of each day on which it changed (history chart). */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    tenantId: text("tenant_id").notNull(),
    day: text("day").notNull(),
    bytes: integer("bytes").notNull(),
    assets: integer("assets").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);

export const savedSearches = sqliteTable(
  "saved_searches",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** JSON of the asset list query (q, filters, sort). */
    query: text("query").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("saved_searches_user_name_unique").on(t.userId, t.projectId, t.name)],
);

/**
 * Stored objects of deleted assets, waiting to be removed from R2: written in
 * the same D1 batch that deletes the asset rows, so the rows never outlive
 * their files and no file is forgotten (ADR 0016). Drained right after the
 * batch and by the scheduled job (assets/object-deletions.server.ts).
 */
export const pendingObjectDeletions = sqliteTable(
  "pending_object_deletions",
  {
    tenantId: text("tenant_id").notNull(),
    assetId: text("asset_id").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.assetId] }), index("pending_object_deletions_created_idx").on(t.createdAt)],
);

/**
 * A backup run's consistent copy of the tenant (ADR 0025): filled in one D1 transaction by
 * INSERT … SELECT, read out in parts, emptied when the run ends. Restores stage rows here too. Its
 * own rows are never backed up.
 */
export const backupRows = sqliteTable(
  "backup_rows",
  {
    id: integer("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    runId: text("run_id").notNull(),
    tableName: text("table_name").notNull(),
    row: text("row").notNull(),
    /**
     * How many rows of `table_name` the `row` text holds: a backup stages its copy as groups of
     * JSON lines (one staging row per group, ADR 0025), a restore one row per staging row.
     */
    lines: integer("lines").notNull().default(1),
  },
  (t) => [index("backup_rows_run_idx").on(t.tenantId, t.runId, t.id)],
);

/**
 * The transcoder's work on an asset (ADR 0030): one row per asset, whose `attempt` grows each time
 * the work is handed out again. Signed URLs name the attempt, so an older attempt's uploads and
 * reports are refused once a newer one started.
 */
export const mediaJobs = sqliteTable(
  "media_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    assetId: text("asset_id").notNull(),
    /** The profile version the outputs were made with (transcoder/src/profiles.mjs). */
    profile: integer("profile").notNull(),
    status: text("status", { enum: ["queued", "working", "ready", "failed"] })
      .notNull()
      .default("queued"),
    attempt: integer("attempt").notNull().default(1),
    /** What a working job is doing: reading, transcoding, storing. */
    stage: text("stage"),
    /** Why it failed, as a code the UI translates (media/job-codes), and the transcoder's detail. */
    errorCode: text("error_code"),
    errorDetail: text("error_detail"),
    /** JSON {outputName: {size, contentType, ...what the player needs}} of a ready job. */
    outputs: text("outputs").notNull().default("{}"),
    /** JSON of what ffprobe read of the original; filled into the asset once its processing is done. */
    technical: text("technical"),
    /** When the current attempt was handed to the transcoder; null while it waits for the queue. */
    dispatchedAt: text("dispatched_at"),
    /** The transcoder's last word on the current attempt; the sweep hands out again what went quiet. */
    heartbeatAt: text("heartbeat_at"),
    finishedAt: text("finished_at"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("media_jobs_asset_unique").on(t.tenantId, t.assetId), index("media_jobs_status_idx").on(t.status, t.updatedAt)],
);

/**
 * One row per output upload a signed URL started: taking it is what makes the URL single-use (a
 * burst of starts inserts one row). Holds the R2 multipart upload until it completes.
 */
export const mediaOutputClaims = sqliteTable(
  "media_output_claims",
  {
    jobId: text("job_id").notNull(),
    attempt: integer("attempt").notNull(),
    name: text("name").notNull(),
    tenantId: text("tenant_id").notNull(),
    uploadId: text("upload_id").notNull(),
    state: text("state", { enum: ["open", "done"] })
      .notNull()
      .default("open"),
    /** Bytes of the completed object. */
    size: integer("size"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.attempt, t.name] })],
);

/**
 * Markers (付箋, issue #14): a point (`end_frame` null) or a range on an asset, in integer frames
 * at the rate stored with it, with text, a colour, optional shapes (JSON, app/schemas/review.ts)
 * and a resolved flag. A reply is a row with `parent_id` and no frames. The author is a user or a
 * share's guest, named as at writing (a deleted user's markers keep their name).
 */
export const markers = sqliteTable(
  "markers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id").notNull(),
    assetId: text("asset_id").notNull(),
    parentId: text("parent_id"),
    startFrame: integer("start_frame"),
    endFrame: integer("end_frame"),
    rateNum: integer("rate_num"),
    rateDen: integer("rate_den"),
    text: text("text").notNull(),
    color: text("color"),
    shapes: text("shapes"),
    resolved: integer("resolved", { mode: "boolean" }).notNull().default(false),
    authorType: text("author_type", { enum: ["user", "guest"] }).notNull(),
    authorId: text("author_id"),
    authorName: text("author_name").notNull(),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("markers_asset_idx").on(t.tenantId, t.assetId, t.startFrame)],
);

/** Collections (issue #14): named sets of links to a project's assets (no copies). */
export const collections = sqliteTable(
  "collections",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("collections_project_name_unique").on(t.tenantId, t.projectId, t.name)],
);

/** An asset in a collection; removed with the asset or the collection. */
export const collectionAssets = sqliteTable(
  "collection_assets",
  {
    tenantId: text("tenant_id").notNull(),
    collectionId: text("collection_id").notNull(),
    assetId: text("asset_id").notNull(),
    addedBy: text("added_by"),
    addedAt: text("added_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.collectionId, t.assetId] }),
    index("collection_assets_asset_idx").on(t.tenantId, t.assetId),
    // As share_assets_share_idx: a collection's rows by tenant and collection (ADR 0035).
    index("collection_assets_collection_idx").on(t.tenantId, t.collectionId, t.assetId),
  ],
);

/**
 * Shares (issue #14): a selection of a project's assets or a live collection, for people outside
 * the tenant. The team sets scope, expiry, an optional password (argon2) and download cap; each
 * link is one recipient's (or the one anonymous link), with its own hashed token and counters.
 */
export const shares = sqliteTable(
  "shares",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    projectId: text("project_id").notNull(),
    collectionId: text("collection_id"),
    scope: text("scope", { enum: ["preview", "preview_download", "preview_upload", "preview_upload_download"] }).notNull(),
    downloadOriginal: integer("download_original", { mode: "boolean" }).notNull().default(true),
    downloadProxy: integer("download_proxy", { mode: "boolean" }).notNull().default(true),
    comments: integer("comments", { mode: "boolean" }).notNull().default(false),
    approval: integer("approval", { mode: "boolean" }).notNull().default(false),
    /** The guest's identity drawn over the picture in the player. */
    watermark: integer("watermark", { mode: "boolean" }).notNull().default(false),
    /** Guests prove an e-mail address with a one-time code before they see anything. */
    verifyEmail: integer("verify_email", { mode: "boolean" }).notNull().default(false),
    /** Where guests' uploads land (upload scopes). */
    uploadFolderId: text("upload_folder_id"),
    expiresAt: text("expires_at").notNull(),
    passwordHash: text("password_hash"),
    maxDownloads: integer("max_downloads"),
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    revokedAt: text("revoked_at"),
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("shares_project_idx").on(t.tenantId, t.projectId)],
);

/** The assets of a share of a selection (a collection's share reads the collection live). */
export const shareAssets = sqliteTable(
  "share_assets",
  {
    tenantId: text("tenant_id").notNull(),
    shareId: text("share_id").notNull(),
    assetId: text("asset_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shareId, t.assetId] }),
    index("share_assets_asset_idx").on(t.tenantId, t.assetId),
    // A share's own rows, by the tenant and the share as every statement names them: without it,
    // SQLite (no statistics on D1) takes the (tenant, asset) index for tenant_id alone and reads
    // every share row of the tenant (ADR 0035).
    index("share_assets_share_idx").on(t.tenantId, t.shareId, t.assetId),
  ],
);

/** One link of a share: a recipient's (e-mail) or the anonymous one; the URL's token only as its SHA-256. */
export const shareLinks = sqliteTable(
  "share_links",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    shareId: text("share_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    recipientEmail: text("recipient_email"),
    accesses: integer("accesses").notNull().default(0),
    downloads: integer("downloads").notNull().default(0),
    lastAccessAt: text("last_access_at"),
    revokedAt: text("revoked_at"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("share_links_token_unique").on(t.tokenHash), index("share_links_share_idx").on(t.tenantId, t.shareId)],
);

/**
 * A guest's session on a link (the API's guestToken, hashed), after the password when there is one.
 * When the share verifies e-mail addresses, the session waits for the e-mailed code (its hash and
 * expiry here) and only a verified one reaches the share.
 */
export const shareGuestSessions = sqliteTable("share_guest_sessions", {
  tokenHash: text("token_hash").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  linkId: text("link_id").notNull(),
  expiresAt: text("expires_at").notNull(),
  guestEmail: text("guest_email"),
  codeHash: text("code_hash"),
  codeExpiresAt: text("code_expires_at"),
  verifiedAt: text("verified_at"),
  createdAt: text("created_at").notNull().default(now),
});

/** A guest's verdict on one asset of a share (one per guest identity: its e-mail, else its link). */
export const shareApprovals = sqliteTable(
  "share_approvals",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    shareId: text("share_id").notNull(),
    linkId: text("link_id").notNull(),
    assetId: text("asset_id").notNull(),
    guestKey: text("guest_key").notNull(),
    guestEmail: text("guest_email"),
    status: text("status", { enum: ["approved", "needs_changes"] }).notNull(),
    note: text("note"),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("share_approvals_guest_unique").on(t.tenantId, t.shareId, t.assetId, t.guestKey),
    index("share_approvals_asset_idx").on(t.tenantId, t.assetId),
  ],
);

/** A download in flight on a link: reserved before the bytes go, counted when the last byte went, released if it stopped. */
export const shareDownloadSlots = sqliteTable(
  "share_download_slots",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    linkId: text("link_id").notNull(),
    startedAt: text("started_at").notNull().default(now),
  },
  (t) => [index("share_download_slots_link_idx").on(t.tenantId, t.linkId)],
);
