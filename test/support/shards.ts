import { env } from "cloudflare:test";

/** The tenant-data database of a tenant, found through the shard map like the app finds it. */
export async function shardOf(tenantId: string): Promise<D1Database> {
  const row = await env.CONTROL_DB.prepare("SELECT s.binding AS b FROM tenants t JOIN shards s ON s.key = t.shard_key WHERE t.id = ?")
    .bind(tenantId)
    .first<{ b: string }>();
  if (!row) throw new Error(`no tenant ${tenantId}`);
  return (env as unknown as Record<string, D1Database>)[row.b]!;
}
