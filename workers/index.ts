/**
 * The Worker: request pipeline around the Remix app, and the Durable Object
 * classes. Every response leaves through `secure()`.
 *
 *   request ─► request id ─► HTTPS redirect ─► static file? ─► CSRF origin
 *           ─► API path? its route's handler : Remix (both: route policy
 *              guard ─► loader/action) ─► API error shape
 *           ─► security headers ─► access log line
 */
import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import * as remixBuild from "../build/server/index.js";
import { readConfig } from "../app/.server/env/config.server";
import { logSecretProblemsOnce } from "../app/.server/env/secrets.server";
import type { KuraEnv } from "../app/.server/env/env";
import { apiError } from "../app/.server/http/errors.server";
import { createLogger } from "../app/.server/http/logger.server";
import { newNonce, requestIdFor } from "../app/.server/http/request-id.server";
import { withSecurityHeaders } from "../app/.server/http/security-headers.server";
import { isSharePath, loggablePath } from "../app/.server/http/share-paths.server";
import { crossSiteFormRejection, httpsRedirect, isLocalDevelopment } from "../app/.server/http/transport.server";
import { withRoutePolicies } from "../app/.server/policy/guard.server";
import { routeCatalog } from "../app/.server/routing/catalog.server";
import { apiDispatcher, pagesBuild } from "../app/.server/routing/api-dispatch.server";
import { WEB_MIRRORS } from "../app/.server/routing/web-mirrors.server";
import { surfaceOf } from "../app/.server/routing/surface.server";
import { runAuditMaintenance } from "../app/.server/audit/maintenance.server";
import { resolveLocale } from "../app/i18n/locale";
import { processAsset } from "../app/.server/assets/processing.server";
import { dispatchTranscode } from "../app/.server/media/jobs.server";
import { runAssetMaintenance } from "../app/.server/assets/maintenance.server";
import { reconcileTenantStatus } from "../app/.server/tenants/status.server";
import type { ProcessingMessage } from "../app/.server/assets/processing-queue.server";
import { envWithD1Limits } from "../app/.server/db/d1-limits.server";
import { DAILY_BACKUP_CRON, startDailyBackups } from "../app/.server/backups/backup-job.server";
import { PURGE_SWEEP_CRON, startDuePurges } from "../app/.server/offboarding/purge-job.server";
import { snapshotUsage } from "../app/.server/usage/snapshots.server";

export { AuditLog } from "./audit-log";
export { TenantJobs } from "./tenant-jobs";
export { TranscoderContainer } from "./transcoder-container";

const build = withRoutePolicies(remixBuild as unknown as ServerBuild);
const routes = routeCatalog(build.routes);
const handleRemix = createRequestHandler(pagesBuild(build, routes));
const dispatchApi = apiDispatcher(build, routes, WEB_MIRRORS);

/** Files from build/client (hashed assets, favicon, robots.txt). */
const STATIC_PATH = /^\/(assets\/[^?]+|favicon\.(svg|ico)|robots\.txt)$/;

async function serveStatic(request: Request, env: KuraEnv): Promise<Response | null> {
  if (!env.STATIC || (request.method !== "GET" && request.method !== "HEAD")) return null;
  const path = new URL(request.url).pathname;
  if (!STATIC_PATH.test(path)) return null;
  const response = await env.STATIC.fetch(request);
  if (response.status === 404) return null;
  const cached = new Response(response.body, response);
  if (path.startsWith("/assets/")) cached.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  return cached;
}

/**
 * API routes answer in the contract's error format even where Remix itself
 * produced the error (unhandled exception, method without handler).
 */
async function normaliseApiError(response: Response, path: string): Promise<Response> {
  // /web/v1 is the browser's cookie-authenticated mirror of /api/v1 (ADR 0012).
  if (surfaceOf(path) === "page" || response.status < 400) return response;
  if ((response.headers.get("Content-Type") ?? "").includes("application/json")) return response;
  // Range Not Satisfiable is a deliberate, bodiless answer of the download routes.
  if (response.status === 416) return response;
  if (response.status === 405) return apiError("method_not_allowed", "Method not allowed.");
  if (response.status === 404) return apiError("not_found", "Not found.");
  return apiError("internal_error", "Internal error. The request id identifies it in our logs.");
}

export default {
  async fetch(request: Request, rawEnv: KuraEnv, ctx: ExecutionContext): Promise<Response> {
    // Outside production every D1 binding checks production's limits (ADR 0016).
    const env = envWithD1Limits(rawEnv);
    const started = Date.now();
    const requestId = requestIdFor(request);
    const url = new URL(request.url);
    const logger = createLogger({ requestId });
    // Only HTML pages carry inline scripts, so only requests that Remix renders
    // get a script nonce; JSON, media and redirects get a CSP without one.
    let nonce: string | null = null;
    const secure = (response: Response) => {
      const out = withSecurityHeaders(response, {
        nonce,
        localDevelopment: isLocalDevelopment(url, env.KURA_ENV),
        sharePath: isSharePath(url.pathname),
      });
      out.headers.set("X-Request-Id", requestId);
      logger.info("request", {
        method: request.method,
        path: loggablePath(url.pathname),
        status: out.status,
        ms: Date.now() - started,
      });
      return out;
    };

    try {
      const config = readConfig(env);
      logSecretProblemsOnce(env, logger);
      const redirect = httpsRedirect(request, config.environment);
      if (redirect) return secure(redirect);

      const file = await serveStatic(request, env);
      if (file) return secure(file);

      const rejected = crossSiteFormRejection(request);
      if (rejected) return secure(rejected);

      const loadContext = {
        env,
        config,
        waitUntil: (p: Promise<unknown>) => ctx.waitUntil(p),
        requestId,
        logger,
        clientIp: request.headers.get("CF-Connecting-IP"),
        userAgent: request.headers.get("User-Agent"),
        publicOrigin: config.publicBaseUrl ?? (isLocalDevelopment(url, config.environment) ? url.origin : null),
        locale: resolveLocale(request),
        routes,
        principal: { type: "anonymous" as const },
      };
      // API paths go straight to their (guarded) handler; pages through Remix.
      const dispatched = dispatchApi(request, { ...loadContext, nonce: "" });
      const response = await (dispatched ?? handleRemix(request, { ...loadContext, nonce: (nonce = newNonce()) }));
      return secure(await normaliseApiError(response, url.pathname));
    } catch (error) {
      logger.error("request failed", { error });
      return secure(apiError("internal_error", "Internal error. The request id identifies it in our logs."));
    }
  },

  /** Cron Triggers (wrangler.toml [triggers]); see README "Scheduled jobs". */
  async scheduled(controller: ScheduledController, rawEnv: KuraEnv, ctx: ExecutionContext): Promise<void> {
    const env = envWithD1Limits(rawEnv);
    const logger = createLogger({ requestId: `cron-${Number(controller.scheduledTime)}` });
    const config = readConfig(env);
    const at = new Date(Number(controller.scheduledTime));
    // The daily trigger: usage snapshots (and quota warnings), then the backups, which each
    // tenant's job object carries on by alarms.
    if (controller.cron === DAILY_BACKUP_CRON) {
      await snapshotUsage({ env, config, logger, waitUntil: (p) => ctx.waitUntil(p) }, at);
      await startDailyBackups(env, at, logger);
      return;
    }
    if (controller.cron !== PURGE_SWEEP_CRON) {
      logger.warn("unknown cron trigger", { cron: controller.cron });
      return;
    }
    // First, so that a tenant whose status mirror drifted is locked before anything else runs (ADR 0015).
    await reconcileTenantStatus(env, logger);
    // Deletion owed at contract end starts (or resumes) before routine maintenance.
    await startDuePurges(env, at, logger);
    await runAuditMaintenance(env, config, logger, at);
    await runAssetMaintenance(env, logger, at);
  },

  /** The ASSET_PROCESSING queue: processing after upload (ADR 0009). */
  async queue(batch: MessageBatch<ProcessingMessage>, rawEnv: KuraEnv): Promise<void> {
    const env = envWithD1Limits(rawEnv);
    const logger = createLogger({ requestId: `queue-${batch.queue}` });
    for (const message of batch.messages) {
      try {
        // The transcoder's job first (ADR 0030), so that it runs while the Worker hashes and reads
        // the file; a transcoder that cannot take it now makes the message retry.
        const settled = await Promise.allSettled([dispatchTranscode({ env, logger }, message.body), processAsset(env, message.body, logger)]);
        for (const result of settled) if (result.status === "rejected") throw result.reason;
        message.ack();
      } catch (error) {
        logger.error("processing_failed", { assetId: message.body.assetId, error: String(error) });
        message.retry({ delaySeconds: 30 });
      }
    }
  },
} satisfies ExportedHandler<KuraEnv, ProcessingMessage>;
