/**
 * Records the SQL the app runs (through the D1 checker's test-only observer,
 * app/.server/db/d1-limits.server.ts) and finds statements on tenant tables
 * that do not name their tenant. The tenant tables are every table of the
 * tenant schema, so a new table is covered the day it is added.
 */
import { getTableName, is, Table } from "drizzle-orm";
import * as tenantSchema from "~/.server/db/tenant-schema";

const OBSERVER = "__kuraStatementObserver";

export function tenantTableNames(): Set<string> {
  const names = new Set<string>(["assets_fts"]);
  for (const value of Object.values(tenantSchema)) if (is(value, Table)) names.add(getTableName(value));
  return names;
}

/** Starts recording; returns the list it fills. Only one recorder at a time. */
export function recordStatements(): { statements: string[]; stop: () => void } {
  const statements: string[] = [];
  (globalThis as Record<string, unknown>)[OBSERVER] = (sql: string) => statements.push(sql);
  return { statements, stop: () => void delete (globalThis as Record<string, unknown>)[OBSERVER] };
}

const TABLE_REFERENCE = /\b(?:from|join|into|update)\s+[`"]?([a-z_][a-z0-9_]*)[`"]?/gi;

/** The tenant tables a statement reads or writes. */
export function tablesOf(sql: string, tenantTables: Set<string>): string[] {
  const found = new Set<string>();
  for (const m of sql.matchAll(TABLE_REFERENCE)) if (tenantTables.has(m[1]!.toLowerCase())) found.add(m[1]!.toLowerCase());
  return [...found];
}

/** Distinct statements on a tenant table with no tenant_id condition or column in them. */
export function statementsWithoutTenant(statements: readonly string[]): string[] {
  const tenantTables = tenantTableNames();
  const bad = new Set<string>();
  for (const sql of statements) {
    if (tablesOf(sql, tenantTables).length > 0 && !/\btenant_id\b/i.test(sql)) bad.add(sql.replace(/\s+/g, " ").trim());
  }
  return [...bad].sort();
}
