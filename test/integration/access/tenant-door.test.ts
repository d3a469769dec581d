/**
 * One door to tenant data (issue #10): request code reaches a tenant's rows
 * and objects only through tenantData(ctx), whose tenant comes from the
 * authenticated principal and which carries the tenant's db and storage. The
 * helpers that open a tenant by id, walk every shard or build a tenant's
 * storage from a bare id are for the named jobs below and nothing else; a new
 * import of one elsewhere fails here. The authorization matrix adds the SQL
 * side: every statement it makes the app run on a tenant table names its
 * tenant (test/support/matrix.ts, test/support/statements.ts).
 */
import { describe, expect, it } from "vitest";
import { statementsWithoutTenant, tablesOf, tenantTableNames } from "../../support/statements";

// app/.server needs its own pattern: the glob skips dot directories, so without it the server code
// (where the helpers are used) was never read.
const sources = import.meta.glob<string>(["../../../app/**/*.{ts,tsx}", "../../../app/.server/**/*.ts", "../../../workers/*.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** The system helpers, by the module that defines them. */
const SYSTEM_HELPERS = ["systemTenantData", "allShardDatabases", "shardDatabase", "tenantDbFor", "tenantStorageFor", "tenantDataForAuthentication"] as const;
const DEFINED_IN = new Set(["app/.server/db/tenant-data.server.ts", "app/.server/storage/keys.server.ts"]);

/** Who may use which helper, and why. Everything else must use tenantData(ctx). */
const NAMED_JOBS: Record<string, { helpers: readonly (typeof SYSTEM_HELPERS)[number][]; why: string }> = {
  "app/.server/assets/processing.server.ts": {
    helpers: ["systemTenantData", "allShardDatabases", "tenantDbFor"],
    why: "the processing queue consumer and its sweep act on the tenant named in the message",
  },
  "app/.server/media/jobs.server.ts": {
    helpers: ["systemTenantData", "allShardDatabases", "tenantDbFor"],
    why: "the transcoder's jobs act on the tenant named by the processing message or by a signed job grant (ADR 0030), and the sweep reads every shard",
  },
  "app/.server/assets/maintenance.server.ts": {
    helpers: ["allShardDatabases", "tenantDbFor", "tenantStorageFor"],
    why: "the 15-minute job expires uploads on every shard",
  },
  "app/.server/assets/object-deletions.server.ts": {
    helpers: ["allShardDatabases", "tenantDbFor", "tenantStorageFor"],
    why: "drains pending object deletions, after a delete and from the job; aborts a purged or moving tenant's open uploads",
  },
  "app/.server/backups/placement.server.ts": { helpers: ["shardDatabase"], why: "the operator's jobs find a tenant's shard whatever its status" },
  "app/.server/backups/restore.server.ts": { helpers: ["shardDatabase"], why: "a restore stages and swaps in the tenant's shard, or a move's target" },
  "app/.server/backups/move.server.ts": {
    helpers: ["shardDatabase", "tenantDbFor", "tenantStorageFor"],
    why: "a move works on both shards of the tenant it moves (ADR 0028)",
  },
  "app/.server/backups/backup-job.server.ts": { helpers: ["systemTenantData"], why: "the jobs record their events in the tenant's own log" },
  "workers/tenant-jobs.ts": { helpers: ["shardDatabase"], why: "a given-up restore clears its staging in the shard it staged in" },
  "app/.server/offboarding/terminate.server.ts": { helpers: ["systemTenantData"], why: "the termination is recorded in the tenant's own log" },
  "app/.server/notices/tenant-admins.server.ts": { helpers: ["systemTenantData"], why: "announcements and quota warnings are mailed to the tenant's admins" },
  "app/.server/usage/snapshots.server.ts": { helpers: ["systemTenantData"], why: "the daily snapshot reads each active tenant's project usage" },
  "app/.server/audit/maintenance.server.ts": { helpers: ["systemTenantData"], why: "the job flushes and trims every active tenant's log" },
  "app/.server/audit/read.server.ts": { helpers: ["systemTenantData"], why: "the operator's evidence export names the tenant (control plane)" },
  "app/.server/tenants/tenants.server.ts": {
    helpers: ["systemTenantData", "shardDatabase", "tenantDbFor"],
    why: "operator provisioning places a new tenant on a shard",
  },
  "app/.server/tenants/status.server.ts": {
    helpers: ["shardDatabase", "tenantDbFor"],
    why: "the status mirror is written on the tenant's shard by the operator and the job",
  },
  "app/.server/status/status.server.ts": { helpers: ["allShardDatabases"], why: "the status probe runs SELECT 1 on every shard" },
  "app/.server/auth/authenticate.server.ts": { helpers: ["tenantDataForAuthentication"], why: "before sign-in the tenant can only come from the credential" },
  "app/.server/identity/login.server.ts": { helpers: ["tenantDataForAuthentication"], why: "sign-in names its tenant by slug" },
  "app/.server/identity/accounts.server.ts": { helpers: ["tenantDataForAuthentication"], why: "setup and reset links carry their tenant" },
  "app/.server/sharing/guest-access.server.ts": {
    helpers: ["tenantDataForAuthentication"],
    why: "a share link's guest has no account: the tenant comes from the control plane's index of the link's token",
  },
};

/** Operator jobs that use a bucket by name, and why: the backups bucket is theirs alone; a purge and a move reach the tenant's prefix. */
const BUCKET_JOBS: Record<string, string> = {
  "app/.server/backups/backup-run.server.ts": "writes and reads back the sealed parts in BACKUPS",
  "app/.server/backups/generations.server.ts": "deletes the parts of runs no longer kept, in BACKUPS",
  "app/.server/offboarding/purge.server.ts": "empties the tenant's prefix in ASSETS and BACKUPS",
  "app/.server/backups/move.server.ts": "the tenant's storage view (its ASSETS prefix) for the job's own audit flush",
};

const relative = (path: string) => path.replace(/^(\.\.\/)+/, "");

describe("one door to tenant data", () => {
  it("system helpers are imported only by the named jobs", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const [path, text] of Object.entries(sources)) {
      const file = relative(path);
      if (DEFINED_IN.has(file)) continue;
      for (const helper of SYSTEM_HELPERS) {
        if (!new RegExp(`\\b${helper}\\b`).test(text)) continue;
        if (!NAMED_JOBS[file]?.helpers.includes(helper)) offenders.push(`${file} uses ${helper}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("no code outside the storage and tenant-data modules touches a bucket or a shard binding by name, except the status probe", () => {
    const offenders = Object.entries(sources)
      .map(([path, text]) => [relative(path), text] as const)
      .filter(
        ([file]) =>
          !DEFINED_IN.has(file) &&
          file !== "app/.server/status/status.server.ts" &&
          !(file in NAMED_JOBS && /maintenance|object-deletions/.test(file)) &&
          !(file in BUCKET_JOBS),
      )
      .filter(([, text]) => /\benv\.(ASSETS|BACKUPS|TENANT_DB_\w+)\b/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it("the statement check itself: it flags a statement on a tenant table without tenant_id, and knows every tenant table", () => {
    const tables = tenantTableNames();
    for (const t of ["users", "assets", "asset_tags", "folders", "uploads", "project_grants", "audit_outbox", "assets_fts"])
      expect(tables.has(t), t).toBe(true);
    expect(tables.has("tenants")).toBe(false);
    expect(tablesOf('select "id" from "users" where "users"."id" = ?', tables)).toEqual(["users"]);
    expect(statementsWithoutTenant(['select "id" from "users" where "users"."id" = ?'])).toHaveLength(1);
    expect(statementsWithoutTenant(['select "id" from "users" where ("users"."tenant_id" = ? and "users"."id" = ?)'])).toEqual([]);
    expect(statementsWithoutTenant(["SELECT count(*) FROM (SELECT 1 FROM assets_fts WHERE assets_fts MATCH ? LIMIT 1001)"])).toHaveLength(1);
    expect(statementsWithoutTenant(["SELECT 1", 'select * from "tenants" where "id" = ?'])).toEqual([]);
  });
});
