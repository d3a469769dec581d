import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_CONTROL_MIGRATIONS: D1Migration[];
      TEST_TENANT_MIGRATIONS: D1Migration[];
      TENANT_DB_S1: D1Database;
    }
  }
}
