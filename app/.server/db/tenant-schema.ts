import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
