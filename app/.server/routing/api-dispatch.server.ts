import type { ServerBuild } from "@remix-run/cloudflare";
import { apiError } from "../http/errors.server";
import type { RouteCatalog } from "./catalog.server";
import { surfaceOf } from "./surface.server";
import { resolveWebMirrors, type WebMirror } from "./web-mirrors.server";

/**
 * API requests (/api/v1 and its /web/v1 mirror) go straight to their route
 * module's loader or action (ADR 0013). They are resource routes: Remix
 * would run exactly that one handler too, but its request handler costs
 * 3–4 ms per request on top (measured in bench/RESULTS.md), which is a
 * fifth of a browse page. The handlers are the guarded ones of the build
 * (withRoutePolicies), so every route's declared access policy still runs
 * first; pages and their data requests still go through Remix.
 */

type Handler = (args: { request: Request; params: Record<string, string>; context: unknown }) => unknown;
type Segment = { literal: string } | { param: string };
type ApiRoute = { segments: Segment[]; splat: boolean; score: number; loader?: Handler; action?: Handler };

function compile(path: string, loader: Handler | undefined, action: Handler | undefined): ApiRoute {
  const parts = path.split("/").filter(Boolean);
  const splat = parts.at(-1) === "*";
  const segments: Segment[] = (splat ? parts.slice(0, -1) : parts).map((p) => (p.startsWith(":") ? { param: p.slice(1) } : { literal: p }));
  // As Remix ranks them: a literal segment beats a parameter, and a splat comes last.
  const score = segments.reduce((s, seg) => s + ("literal" in seg ? 10 : 3), 0) - (splat ? 2 : 0);
  return { segments, splat, score, ...(loader ? { loader } : {}), ...(action ? { action } : {}) };
}

function match(route: ApiRoute, parts: string[]): Record<string, string> | null {
  if (route.splat ? parts.length < route.segments.length : parts.length !== route.segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i]!;
    if ("literal" in seg) {
      // Exact, like the prefix: /api/v1/ME is not /api/v1/me.
      if (seg.literal !== part) return null;
    } else {
      try {
        params[seg.param] = decodeURIComponent(part);
      } catch {
        return null;
      }
    }
  }
  if (route.splat) params["*"] = parts.slice(route.segments.length).join("/");
  return params;
}

/** Pages are Remix's; every other route (the API and its mirror) is the dispatcher's. */
const isPageRoute = (entry: RouteCatalog[number]) => surfaceOf(`${entry.path}/`) === "page";

/**
 * The build Remix serves the pages from: without the API's resource routes, which the dispatcher
 * answers before Remix sees a request. Remix matches its whole route tree several times per
 * document (the server's match, the loader query, the render's static router, the route-discovery
 * manifest); with two thirds of the routes API routes, that matching was 13–19% of a share page's
 * CPU (bench/sharing, ADR 0035). A page never matches an API route anyway.
 */
export function pagesBuild(build: ServerBuild, catalog: RouteCatalog): ServerBuild {
  const pageIds = new Set(catalog.filter(isPageRoute).map((entry) => entry.id));
  const pagesOf = <T>(routes: Record<string, T>) => Object.fromEntries(Object.entries(routes).filter(([id]) => pageIds.has(id)));
  // Both maps: the render builds its routes from the assets manifest and looks each up in `routes`.
  return { ...build, routes: pagesOf(build.routes), assets: { ...build.assets, routes: pagesOf(build.assets.routes) } };
}

export type ApiDispatcher = (request: Request, context: unknown) => Promise<Response> | null;

/**
 * `webMirrors` (ADR 0012) mounts the listed API routes' handlers under
 * /web/v1 as well: the very same guarded functions, so the guard sees a /web/
 * request and authenticates it by the session cookie.
 */
export function apiDispatcher(build: ServerBuild, catalog: RouteCatalog, webMirrors: readonly WebMirror[] = []): ApiDispatcher {
  const handlersOf = (id: string) => build.routes[id]!.module as { loader?: Handler; action?: Handler };
  const apiRoutes = catalog
    .filter((entry) => !isPageRoute(entry))
    .map((entry) => {
      const mod = handlersOf(entry.id);
      return compile(entry.path, mod.loader, mod.action);
    });
  const mirrorRoutes = resolveWebMirrors(catalog, webMirrors).map((mirror) => {
    const mod = handlersOf(mirror.api.id);
    return compile(mirror.webPath, mirror.handlers.includes("loader") ? mod.loader : undefined, mirror.handlers.includes("action") ? mod.action : undefined);
  });
  const routes = [...apiRoutes, ...mirrorRoutes].sort((a, b) => b.score - a.score);

  return (request, context) => {
    const { pathname } = new URL(request.url);
    const surface = surfaceOf(pathname);
    if (surface === "page") return null;
    // A look-alike of an API path, or an API path no route has: the API's own 404, never a page.
    if (surface === "lookalike") return Promise.resolve(apiError("not_found", "Not found."));
    const parts = pathname.split("/").filter(Boolean);
    for (const route of routes) {
      const params = match(route, parts);
      if (params) return run(route, request, params, context);
    }
    return Promise.resolve(apiError("not_found", "Not found."));
  };
}

async function run(route: ApiRoute, request: Request, params: Record<string, string>, context: unknown): Promise<Response> {
  const handler = request.method === "GET" || request.method === "HEAD" ? route.loader : route.action;
  if (!handler) return apiError("method_not_allowed", `Method ${request.method} is not allowed here.`);
  try {
    const result = await handler({ request, params, context });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    // Guards and validation throw their answer as a Response; anything else
    // is a bug, which the Worker logs and answers with internal_error.
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
