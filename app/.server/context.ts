import type { KuraConfig } from "./env/config.server";
import type { KuraEnv } from "./env/env";
import type { Logger } from "./http/logger.server";
import type { Principal } from "~/policy/access";
import type { TenantData } from "./db/tenant-data.server";
import type { PrefetchedProjectReads } from "./access/permissions.server";
import type { RouteCatalog } from "./routing/catalog.server";
import type { Locale } from "~/i18n/locale";

/**
 * Everything a loader or action may use arrives here, built per request by
 * workers/index.ts. Bindings are never module globals.
 */
export type KuraContext = {
  env: KuraEnv;
  config: KuraConfig;
  waitUntil: (promise: Promise<unknown>) => void;
  requestId: string;
  nonce: string;
  logger: Logger;
  /** From CF-Connecting-IP (set by Cloudflare's edge); null when absent. */
  clientIp: string | null;
  userAgent: string | null;
  /**
   * Origin for links in e-mails: PUBLIC_BASE_URL; only in loopback development
   * the request's own. Never the Host header elsewhere: a forged Host would
   * send a victim's reset link to the forger's site. Null: not configured.
   */
  publicOrigin: string | null;
  locale: Locale;
  routes: RouteCatalog;
  /** Set by the route-policy guard for the route being run. */
  principal: Principal;
  /** The principal's tenant as opened while authenticating this request (guard); tenantData() reuses it. */
  tenant?: TenantData;
  /** The route's project reads, sent by the guard with the credential check (ADR 0014). */
  prefetched?: PrefetchedProjectReads;
};

declare module "@remix-run/cloudflare" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends KuraContext {}
}
