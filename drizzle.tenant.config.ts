import { defineConfig } from "drizzle-kit";

// Tenant-data migrations; every shard database gets the same ones.
export default defineConfig({
  dialect: "sqlite",
  schema: "./app/.server/db/tenant-schema.ts",
  out: "./migrations/tenant",
});
