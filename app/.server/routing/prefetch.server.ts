import type { RoutePrefetch } from "../access/permissions.server";

/**
 * A loader that lets its route guard read the project's data together with
 * the credential (ADR 0014). The prefetch travels on the loader itself
 * rather than as a route export: Remix strips `loader` from the browser
 * build, and with it this server-only code.
 */
export function withPrefetch<L extends (...args: never[]) => unknown>(loader: L, prefetch: RoutePrefetch): L & { prefetch: RoutePrefetch } {
  return Object.assign(loader, { prefetch });
}

export function prefetchOf(loader: unknown): RoutePrefetch | undefined {
  const prefetch = (loader as { prefetch?: unknown } | undefined)?.prefetch;
  return typeof prefetch === "function" ? (prefetch as RoutePrefetch) : undefined;
}
