import type { AuditLog } from "../../../workers/audit-log";

/**
 * The bindings and variables the Worker receives (wrangler.toml, .dev.vars).
 * Tenant-data shards are additional D1 bindings named in the control plane's
 * `shards` table, so they are not listed here: see db/tenant-data.server.ts.
 */
export interface KuraEnv {
  CONTROL_DB: D1Database;
  TENANT_DB_S0: D1Database;
  ASSETS: R2Bucket;
  BACKUPS: R2Bucket;
  AUDIT_LOG: DurableObjectNamespace<AuditLog>;
  STATIC?: Fetcher;
  KURA_ENV: string;
  STATUS_CHECK_TIMEOUT_MS?: string;
  DEFAULT_STORAGE_QUOTA_BYTES?: string;
  OPERATOR_TOKEN?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Cloudflare {
    // Makes `env` from cloudflare:workers / cloudflare:test typed.
    interface Env extends KuraEnv {}
  }
}
