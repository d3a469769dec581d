import { getTableColumns, getTableName, isTable } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../db/tenant-schema";

/**
 * What a backup does with each tenant-data table (ADR 0025). Every table of the tenant schema
 * must have an entry: the type below fails to compile without one, and a test compares the
 * entries with the tables the migrations really create. Entries are in restore order (a table
 * after the tables it refers to); a restore deletes in the reverse order.
 */
export type BackupPolicy =
  /** Dumped and restored exactly, except `notRestored` columns (the database assigns them again). */
  | { kind: "dumped"; notRestored?: readonly string[]; restore?: "exact" }
  /** Dumped, but a restore keeps only rows that still exist then (revoked credentials never come back). */
  | { kind: "dumped"; notRestored?: readonly string[]; restore: "survivorsOnly" }
  /**
   * Not in a backup; `why` says why. A restore `empties` the tenant's rows of it (what a backup
   * cannot bring back ends) or `keeps` them (work still owed, such as events on their way to the
   * audit log or objects waiting to be deleted from R2).
   */
  | { kind: "excluded"; why: string; onRestore: "empties" | "keeps" };

type TableNameOf<T> = T extends SQLiteTable & { _: { name: infer N extends string } } ? N : never;
export type TenantTableName = { [K in keyof typeof schema]: TableNameOf<(typeof schema)[K]> }[keyof typeof schema];

const dumped: BackupPolicy = { kind: "dumped" };

export const BACKUP_POLICIES = {
  tenant_settings: dumped,
  users: dumped,
  sessions: { kind: "excluded", why: "short-lived sign-ins: a restore ends every session", onRestore: "empties" },
  api_tokens: { kind: "dumped", restore: "survivorsOnly" },
  one_time_tokens: { kind: "excluded", why: "setup and reset links: a restore voids every unused link", onRestore: "empties" },
  recovery_codes: dumped,
  groups: dumped,
  group_members: dumped,
  roles: dumped,
  projects: dumped,
  project_grants: dumped,
  metadata_fields: dumped,
  audit_outbox: { kind: "excluded", why: "events on their way to the audit log, which is dumped from its Durable Object", onRestore: "keeps" },
  folders: dumped,
  // rid is the full-text index's rowid: the database numbers restored rows again, and the index
  // triggers rebuild the tenant's entries as the rows go back in.
  assets: { kind: "dumped", notRestored: ["rid"] },
  asset_tags: dumped,
  uploads: { kind: "excluded", why: "in-flight transfers whose R2 multipart state cannot come back: a restore cancels them", onRestore: "empties" },
  upload_parts: { kind: "excluded", why: "parts of in-flight transfers (see uploads)", onRestore: "empties" },
  project_usage: dumped,
  usage_daily: dumped,
  saved_searches: dumped,
  pending_object_deletions: { kind: "excluded", why: "the R2 delete queue of objects already gone from the rows", onRestore: "keeps" },
  // Derived objects stay in R2 with the original; their job rows say what exists and what it counts.
  media_jobs: dumped,
  // Review markers and their replies (issue #14), after the assets they belong to.
  markers: dumped,
  collections: dumped,
  collection_assets: dumped,
  shares: dumped,
  share_assets: dumped,
  // A revoked link's token leaves the control plane's index (sharing/shares.server.ts), so a restore
  // that brings back its older row cannot make it reachable again.
  share_links: dumped,
  share_approvals: dumped,
  share_guest_sessions: { kind: "excluded", why: "short-lived guest sign-ins: a restore ends them", onRestore: "empties" },
  share_download_slots: { kind: "excluded", why: "reservations of downloads in flight, which end with them", onRestore: "empties" },
  media_output_claims: { kind: "excluded", why: "output uploads in flight, whose R2 multipart state cannot come back", onRestore: "empties" },
  backup_rows: { kind: "excluded", why: "the staging copy of backup, restore and verification runs themselves", onRestore: "keeps" },
} as const satisfies Record<TenantTableName, BackupPolicy>;

export type BackedUpTable = { name: TenantTableName; columns: string[]; policy: Extract<BackupPolicy, { kind: "dumped" }> };

const TABLES = new Map<string, SQLiteTable>();
for (const value of Object.values(schema as Record<string, unknown>)) if (isTable(value)) TABLES.set(getTableName(value), value as SQLiteTable);

let dumpedTables: BackedUpTable[] | null = null;

/** The dumped tables in restore order, each with its columns as the database names them (worked out once). */
export function backedUpTables(): BackedUpTable[] {
  dumpedTables ??= (Object.entries(BACKUP_POLICIES) as [TenantTableName, BackupPolicy][]).flatMap(([name, policy]) => {
    if (policy.kind !== "dumped") return [];
    const table = TABLES.get(name);
    if (!table) throw new Error(`backup policy for unknown table ${name}`);
    return [{ name, columns: Object.values(getTableColumns(table)).map((c) => c.name), policy }];
  });
  return dumpedTables;
}

/** Revoked credentials never come back: such a table restores only rows that still exist. */
export const isSurvivorsOnly = (policy: BackupPolicy) => policy.kind === "dumped" && policy.restore === "survivorsOnly";

/** Whether a restore deletes the tenant's rows of a table: every dumped one, and the excluded ones it empties. */
export const emptiedByRestore = (policy: BackupPolicy) => policy.kind === "dumped" || policy.onRestore === "empties";

/** A table or column name in SQL (names come from the schema, never from input; quoted all the same). */
export const quotedIdentifier = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The rows of one staging run in `backup_rows`, counted per table (a staging row holds `lines` of them). */
export function stagedCounts(d1: D1Database, tenantId: string, runId: string): D1PreparedStatement {
  return d1.prepare("SELECT table_name AS t, SUM(lines) AS n FROM backup_rows WHERE tenant_id = ? AND run_id = ? GROUP BY table_name").bind(tenantId, runId);
}

/** Every tenant-data table, in restore order (a table after the tables it refers to): a purge deletes in the reverse. */
export function tenantTables(): TenantTableName[] {
  return Object.keys(BACKUP_POLICIES) as TenantTableName[];
}

const ROWS_PER_DELETE = 2000;
const DELETES_PER_STEP = 10;

/**
 * One bounded step of deleting every row of a tenant from a shard (a purge, or the old shard
 * after a move): DELETEs of at most ROWS_PER_DELETE rows, children first. `tableIndex` counts
 * tenantTables() from the end; a table is done when a DELETE takes fewer rows than it may. Returns
 * where to go on; tenantTables().length once every table is empty of the tenant.
 */
export async function deleteTenantRowsStep(d1: D1Database, tenantId: string, tableIndex: number): Promise<number> {
  const tables = tenantTables();
  let index = tableIndex;
  for (let n = 0; n < DELETES_PER_STEP && index < tables.length; n++) {
    const table = quotedIdentifier(tables[tables.length - 1 - index]!);
    const result = await d1
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE tenant_id = ? LIMIT ?)`)
      .bind(tenantId, ROWS_PER_DELETE)
      .run();
    if ((result.meta.changes ?? 0) < ROWS_PER_DELETE) index++;
  }
  return index;
}
