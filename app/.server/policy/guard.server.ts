import type { ActionFunctionArgs, LoaderFunctionArgs, ServerBuild } from "@remix-run/cloudflare";
import type { KuraContext } from "../context";
import { fail } from "../http/errors.server";
import { requireOperator } from "../operator/operator-auth.server";
import type { Principal, RouteAccess } from "~/policy/access";
import { isRouteAccess } from "~/policy/access";

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

async function authenticate(access: RouteAccess, request: Request, context: KuraContext): Promise<Principal> {
  switch (access.kind) {
    case "anonymous":
      return { type: "anonymous" };
    case "operator":
      await requireOperator(request, context.env.OPERATOR_TOKEN);
      return { type: "operator" };
  }
}

/**
 * Runs the route's declared policy before its code; the principal reaches the
 * handler in its own copy of the context (loaders of one request run in
 * parallel, so the shared context is never mutated).
 */
function guarded(routeId: string, access: unknown, handler: Handler): Handler {
  return async (args) => {
    const context = args.context as unknown as KuraContext;
    if (!isRouteAccess(access)) {
      // Deny by default: a route that declares nothing serves nothing.
      context.logger.error("route has no access policy", { routeId });
      fail("forbidden", "This route is not available.");
    }
    const principal = await authenticate(access, args.request, context);
    return handler({ ...args, context: { ...context, principal } } as typeof args);
  };
}

const noData: Handler = () => null;

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
        loader: guarded(id, mod.access, loader),
        ...(action ? { action: guarded(id, mod.access, action) } : {}),
      } as typeof route.module,
    };
  }
  return { ...build, routes };
}
