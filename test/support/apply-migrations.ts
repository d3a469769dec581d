import { applyD1Migrations, env } from "cloudflare:test";

// Idempotent: applies only what is missing. Storage is isolated per test file.
await applyD1Migrations(env.CONTROL_DB, env.TEST_CONTROL_MIGRATIONS);
await applyD1Migrations(env.TENANT_DB_S0, env.TEST_TENANT_MIGRATIONS);
await applyD1Migrations(env.TENANT_DB_S1, env.TEST_TENANT_MIGRATIONS);
