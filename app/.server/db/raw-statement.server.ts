import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "./tenant-data.server";

/**
 * A raw SQL statement that can go into `db.batch([...])`. drizzle-orm 0.45's
 * D1 batch binds every item through a prepared `stmt`, which `db.run(sql)`
 * does not carry ("Cannot read properties of undefined (reading 'bind')"),
 * so it is attached here. Used for statements the query builder cannot
 * express: INSERT … SELECT … WHERE, UPDATE … FROM json_each(…), upserts from
 * aggregates. Covered by the asset and usage tests.
 */
export function rawStatement(db: TenantDb, query: SQL) {
  const item = db.run(query);
  return Object.assign(item, { stmt: db.$client.prepare(item.getQuery().sql) });
}

/** In a batch, right after a write: how many rows that write changed (read it with countIn). */
export function changesStatement(db: TenantDb) {
  return rawStatement(db, sql`SELECT changes() AS n`);
}

/** The `n` of a raw `SELECT … AS n` statement's batch result (0 when it has no row). */
export function countIn(result: unknown): number {
  return Number((result as { results?: { n: number }[] }).results?.[0]?.n ?? 0);
}
