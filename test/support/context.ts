import { env } from "cloudflare:test";
import type { KuraContext } from "~/.server/context";
import { readConfig } from "~/.server/env/config.server";
import { createLogger } from "~/.server/http/logger.server";
import type { RouteCatalog } from "~/.server/routing/catalog.server";

/** A load context like the Worker builds, for calling Remix handlers directly. */
export function testContext(routes: RouteCatalog = [], overrides: Partial<KuraContext> = {}): KuraContext {
  return {
    env,
    config: readConfig(env),
    waitUntil: () => {},
    requestId: "test-request-0001",
    nonce: "dGVzdG5vbmNl",
    logger: createLogger({ requestId: "test-request-0001" }, () => {}),
    clientIp: "203.0.113.7",
    userAgent: "vitest",
    publicOrigin: "https://kura.test",
    locale: "en",
    routes,
    principal: { type: "anonymous" },
    ...overrides,
  };
}
