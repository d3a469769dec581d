import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_CONTROL_MIGRATIONS: D1Migration[];
      TEST_TENANT_MIGRATIONS: D1Migration[];
      TENANT_DB_S1: D1Database;
      /** test/fixtures/media: file name → base64 (vitest.config.ts). */
      TEST_MEDIA_FIXTURES: Record<string, string>;
      /** test/fixtures/csv: file name → base64 (vitest.config.ts). */
      TEST_CSV_FIXTURES: Record<string, string>;
      /** The text of .dev.vars.example (vitest.config.ts). */
      TEST_DEV_VARS_EXAMPLE: string;
    }
  }
}
