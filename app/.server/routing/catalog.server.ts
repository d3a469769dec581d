import type { ServerBuild } from "@remix-run/cloudflare";
import type { RouteAccess } from "~/policy/access";
import { isRouteAccess } from "~/policy/access";
import type { ApiOperations } from "~/api/operations";
import { isApiOperations } from "~/api/operations";

export type RouteEntry = {
  id: string;
  /** Full URL pattern in Remix syntax, e.g. "/api/v1/operator/tenants/:tenantId". */
  path: string;
  hasLoader: boolean;
  hasAction: boolean;
  access: RouteAccess | null;
  api: ApiOperations | null;
  /** UI forms whose action serves several buttons declare them: `export const intents = [...]`. */
  intents: readonly string[] | null;
};

export type RouteCatalog = readonly RouteEntry[];

type BuildRoutes = ServerBuild["routes"];

function fullPath(routes: BuildRoutes, id: string): string {
  const segments: string[] = [];
  let current = routes[id];
  while (current) {
    if (current.path) segments.unshift(current.path.replace(/^\/+|\/+$/g, ""));
    current = current.parentId ? routes[current.parentId] : undefined;
  }
  return "/" + segments.filter(Boolean).join("/");
}

/** The route manifest as data: used by the guard, OpenAPI and the policy test. */
export function routeCatalog(routes: BuildRoutes): RouteCatalog {
  return Object.entries(routes).map(([id, route]) => {
    const mod = route?.module as unknown as Record<string, unknown>;
    return {
      id,
      path: fullPath(routes, id),
      hasLoader: typeof mod.loader === "function",
      hasAction: typeof mod.action === "function",
      access: isRouteAccess(mod.access) ? mod.access : null,
      api: isApiOperations(mod.api) ? mod.api : null,
      intents: Array.isArray(mod.intents) && mod.intents.every((i) => typeof i === "string") ? (mod.intents as string[]) : null,
    };
  });
}
