import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type ServerBuild } from "@remix-run/cloudflare";
import { authenticateTenantUser } from "../auth/authenticate.server";
import type { TenantData } from "../db/tenant-data.server";
import type { PrefetchedProjectReads, ProjectPrefetch, RoutePrefetch } from "../access/permissions.server";
import { prefetchOf } from "../routing/prefetch.server";
import { isApiPath, isWebApiPath } from "../routing/surface.server";
import type { KuraContext } from "../context";
import { apiError, fail } from "../http/errors.server";
import { denyAccess } from "../audit/deny.server";
import { requireOperator } from "../operator/operator-auth.server";
import { consoleOperator } from "../operator/console-auth.server";
import { readSecrets } from "../env/secrets.server";
import type { Principal, RouteAccess } from "~/policy/access";
import { isRouteAccess } from "~/policy/access";

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

export const TOTP_ENROLLMENT_PATH = "/account/two-factor";

function isApi(request: Request): boolean {
  return isApiPath(new URL(request.url).pathname);
}

/**
 * The browser's mirror of the API (ADR 0012): the API's handlers under
 * /web/v1, authenticated by the session cookie, answering in JSON.
 */
function isWebApi(request: Request): boolean {
  return isWebApiPath(new URL(request.url).pathname);
}

/** Paths that answer in the contract's JSON, errors included (never a redirect to a page). */
function speaksJson(request: Request): boolean {
  return isApi(request) || isWebApi(request);
}

/** UI: send the visitor to sign in and come back; API and its web mirror: 401. */
function unauthenticated(request: Request): never {
  if (isApi(request)) {
    fail("unauthenticated", "Sign in first: send Authorization: Bearer <token>.", {
      headers: { "WWW-Authenticate": 'Bearer realm="kura"' },
    });
  }
  if (isWebApi(request)) fail("unauthenticated", "Sign in first: your session has ended.");
  const url = new URL(request.url);
  const back = url.pathname.replace(/\.data$/, "") + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

type Authenticated = { principal: Principal; tenant?: TenantData; prefetched?: PrefetchedProjectReads };

async function requireTenantUser(
  access: Extract<RouteAccess, { kind: "tenant_user" | "tenant_admin" }>,
  request: Request,
  context: KuraContext,
  prefetch: ProjectPrefetch | null,
): Promise<Authenticated> {
  const authenticated = await authenticateTenantUser(request, context.env, context.config, {
    via: isApi(request) ? "bearer" : "cookie",
    clientIp: context.clientIp,
    waitUntil: context.waitUntil,
    prefetch,
  });
  if (!authenticated) unauthenticated(request);
  const { principal } = authenticated;
  // Denials are recorded in the user's tenant log (access.denied).
  const deny = (code: "forbidden" | "ip_not_allowed", message: string, reason: string) =>
    denyAccess(
      { ...context, principal },
      { code, message, target: { type: "route", id: new URL(request.url).pathname }, details: { reason, method: request.method } },
    );
  if (!authenticated.ipAllowed) {
    await deny("ip_not_allowed", "Your IP address is not on this tenant's allow-list.", "ip_not_allowed");
  }
  const duringEnrollment = access.duringTotpEnrollment;
  if (principal.mustEnrollTotp && !duringEnrollment) {
    if (!speaksJson(request)) throw redirect(TOTP_ENROLLMENT_PATH);
    fail("forbidden", "Your tenant requires two-factor authentication: enrol first (POST /api/v1/auth/totp/enroll).");
  }
  if (access.kind === "tenant_admin" && principal.tenantRole !== "tenant_admin") {
    await deny("forbidden", "Only tenant administrators may do this.", "tenant_admin_required");
  }
  // The tenant opened to authenticate is handed on, so the handler's tenantData() does not open it again;
  // so are the route's project reads, which the handler's project guard still decides on.
  return { principal, tenant: authenticated.data, ...(authenticated.prefetched ? { prefetched: authenticated.prefetched } : {}) };
}

async function authenticate(access: RouteAccess, request: Request, context: KuraContext, prefetch: ProjectPrefetch | null): Promise<Authenticated> {
  switch (access.kind) {
    case "anonymous":
      return { principal: { type: "anonymous" } };
    case "operator":
      await requireOperator(request, readSecrets(context.env).operatorToken);
      return { principal: { type: "operator" } };
    case "operator_console": {
      const account = await consoleOperator(context.env, request);
      if (!account) {
        if (speaksJson(request)) fail("unauthenticated", "Sign in to the operator console first.");
        throw redirect("/operator/login");
      }
      return { principal: { type: "operator", account } };
    }
    case "tenant_user":
    case "tenant_admin":
      return requireTenantUser(access, request, context, prefetch);
  }
}

/**
 * Runs the route's declared policy before its code; the principal reaches the
 * handler in its own copy of the context (loaders of one request run in
 * parallel, so the shared context is never mutated).
 */
function guarded(routeId: string, access: unknown, handler: Handler, prefetch?: RoutePrefetch): Handler {
  return async (args) => {
    const context = args.context as unknown as KuraContext;
    if (!isRouteAccess(access)) {
      // Deny by default: a route that declares nothing serves nothing.
      context.logger.error("route has no access policy", { routeId });
      fail("forbidden", "This route is not available.");
    }
    const reads = prefetch ? prefetch({ request: args.request, params: args.params }) : null;
    const authenticated = await authenticate(access, args.request, context, reads);
    return handler({ ...args, context: { ...context, ...authenticated } } as typeof args);
  };
}

/** Pages without a loader render without data; API paths (and their web mirror) without one have no GET. */
const noData: Handler = ({ request }) => (speaksJson(request) ? apiError("method_not_allowed", `Method ${request.method} is not allowed here.`) : null);

/**
 * Wraps every route module of the build. Routes without a loader get one, so
 * a document request to a page without a policy is refused too.
 */
export function withRoutePolicies(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const mod = route.module as Record<string, unknown> & ServerBuild["routes"][string]["module"];
    const loader = (mod.loader as Handler | undefined) ?? noData;
    const action = mod.action as Handler | undefined;
    routes[id] = {
      ...route,
      module: {
        ...mod,
        // A loader's prefetch (ADR 0014) is for reading, so only loaders have one.
        loader: guarded(id, mod.access, loader, prefetchOf(mod.loader)),
        ...(action ? { action: guarded(id, mod.access, action) } : {}),
      } as typeof route.module,
    };
  }
  return { ...build, routes };
}
