import type { AuditLog } from "../../../workers/audit-log";
import type { TenantJobs } from "../../../workers/tenant-jobs";
import type { TranscoderContainer } from "../../../workers/transcoder-container";
import type { ProcessingMessage } from "../assets/processing-queue.server";

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
  /** Per tenant: backup (and later restore and purge) as bounded steps (ADR 0025). */
  TENANT_JOBS: DurableObjectNamespace<TenantJobs>;
  /** Queue of assets to process after upload (optional: without it, processing runs via waitUntil). */
  ASSET_PROCESSING?: Queue<ProcessingMessage>;
  STATIC?: Fetcher;
  KURA_ENV: string;
  STATUS_CHECK_TIMEOUT_MS?: string;
  DEFAULT_STORAGE_QUOTA_BYTES?: string;
  OPERATOR_TOKEN?: string;
  /** Secret: base64 of 32 random bytes; encrypts TOTP keys at rest. */
  DATA_ENCRYPTION_KEY?: string;
  /** Secret: base64 of a 32-byte Ed25519 seed; signs deletion certificates (ADR 0026). */
  CERTIFICATE_SIGNING_KEY?: string;
  /** Days between a tenant's termination and its purge (0 in local development). */
  PURGE_GRACE_DAYS?: string;
  ARGON2_MEMORY_KIB?: string;
  ARGON2_PASSES?: string;
  SESSION_IDLE_MINUTES?: string;
  SESSION_ABSOLUTE_HOURS?: string;
  /** "outbox" (development: mail is only stored) or "resend". */
  MAIL_PROVIDER?: string;
  MAIL_FROM?: string;
  /** Secret: the mail provider's API key. */
  MAIL_API_KEY?: string;
  /** Origin used in e-mailed links; defaults to the request's origin. */
  PUBLIC_BASE_URL?: string;
  OPERATOR_ALERT_EMAIL?: string;
  /** Days of audit events kept (whole days; default 400). */
  AUDIT_RETENTION_DAYS?: string;
  /** Set to "on" only by vitest.config.ts: enables test fault injection (testing/faults.server.ts). */
  KURA_TEST_FAULTS?: string;
  /**
   * Where the transcoder listens (ADR 0030): a base URL, or "container" for TRANSCODER_CONTAINER.
   * Without it media jobs wait, queued.
   */
  TRANSCODER_URL?: string;
  /** The transcoder as a Cloudflare Container (production; never started locally). */
  TRANSCODER_CONTAINER?: DurableObjectNamespace<TranscoderContainer>;
  /** How many container instances media jobs are spread over (default 4). */
  TRANSCODER_INSTANCES?: string;
  /** Secret: the bearer token the transcoder expects on POST /jobs. */
  TRANSCODER_TOKEN?: string;
  /** Secret: base64 of 32 random bytes; signs the URLs a transcoder job is given (ADR 0030). */
  TRANSCODER_SIGNING_KEY?: string;
  /** Share (0–1] of the quota one user's open uploads may reserve (default 0.5). */
  UPLOAD_USER_RESERVATION_SHARE?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Cloudflare {
    // Makes `env` from cloudflare:workers / cloudflare:test typed.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging needs an interface
    interface Env extends KuraEnv {}
  }
}
