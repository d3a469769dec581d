import type { SQL } from "drizzle-orm";
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
