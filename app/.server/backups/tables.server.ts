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
  /** Not in a backup; `why` says what a restore does instead. */
  | { kind: "excluded"; why: string };

type TableNameOf<T> = T extends SQLiteTable & { _: { name: infer N extends string } } ? N : never;
export type TenantTableName = { [K in keyof typeof schema]: TableNameOf<(typeof schema)[K]> }[keyof typeof schema];

const dumped: BackupPolicy = { kind: "dumped" };

export const BACKUP_POLICIES = {
  tenant_settings: dumped,
  users: dumped,
  sessions: { kind: "excluded", why: "short-lived sign-ins: a restore ends every session" },
  api_tokens: { kind: "dumped", restore: "survivorsOnly" },
  one_time_tokens: { kind: "excluded", why: "setup and reset links: a restore voids every unused link" },
  recovery_codes: dumped,
  groups: dumped,
  group_members: dumped,
  roles: dumped,
  projects: dumped,
  project_grants: dumped,
  metadata_fields: dumped,
  audit_outbox: { kind: "excluded", why: "events on their way to the audit log, which is dumped from its Durable Object" },
  folders: dumped,
  // rid is the full-text index's rowid: the database numbers restored rows again, and the index
  // triggers rebuild the tenant's entries as the rows go back in.
  assets: { kind: "dumped", notRestored: ["rid"] },
  asset_tags: dumped,
  uploads: { kind: "excluded", why: "in-flight transfers whose R2 multipart state cannot come back: a restore cancels them" },
  upload_parts: { kind: "excluded", why: "parts of in-flight transfers (see uploads)" },
  project_usage: dumped,
  usage_daily: dumped,
  saved_searches: dumped,
  pending_object_deletions: { kind: "excluded", why: "the R2 delete queue of objects already gone from the rows" },
  backup_rows: { kind: "excluded", why: "the staging copy of backup, restore and verification runs themselves" },
} as const satisfies Record<TenantTableName, BackupPolicy>;

export type BackedUpTable = { name: TenantTableName; columns: string[]; policy: Extract<BackupPolicy, { kind: "dumped" }> };

const TABLES = new Map<string, SQLiteTable>();
for (const value of Object.values(schema as Record<string, unknown>)) if (isTable(value)) TABLES.set(getTableName(value), value as SQLiteTable);

/** The dumped tables in restore order, each with its columns as the database names them. */
export function backedUpTables(): BackedUpTable[] {
  return (Object.entries(BACKUP_POLICIES) as [TenantTableName, BackupPolicy][]).flatMap(([name, policy]) => {
    if (policy.kind !== "dumped") return [];
    const table = TABLES.get(name);
    if (!table) throw new Error(`backup policy for unknown table ${name}`);
    return [{ name, columns: Object.values(getTableColumns(table)).map((c) => c.name), policy }];
  });
}
