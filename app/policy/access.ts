/**
 * Route access declarations. Every route module exports
 *
 *   export const access = allow.<kind>(...)
 *
 * and workers/index.ts wraps every loader and action so the declaration is
 * enforced before route code runs. A module without one is denied at run
 * time and fails test/integration/route-policy.test.ts.
 */
export type RouteAccess =
  /** Anyone, signed in or not (public pages, status, the API's own 404). */
  | { readonly kind: "anonymous"; readonly reason: string }
  /** The service provider's staff, `Bearer <OPERATOR_TOKEN>`, API only. */
  | { readonly kind: "operator" };

export type AccessKind = RouteAccess["kind"];

export const allow = {
  /** `reason` documents, in the module itself, why the route may be public. */
  anonymous: (reason: string): RouteAccess => Object.freeze({ kind: "anonymous", reason }),
  operator: (): RouteAccess => Object.freeze({ kind: "operator" }),
} as const;

const KINDS: ReadonlySet<string> = new Set<AccessKind>(["anonymous", "operator"]);

export function isRouteAccess(value: unknown): value is RouteAccess {
  return (
    typeof value === "object" &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string) &&
    ((value as { kind: string }).kind !== "anonymous" ||
      (typeof (value as { reason?: unknown }).reason === "string" &&
        ((value as { reason: string }).reason.trim().length > 0)))
  );
}

/** A signed-in user of one tenant (produced by the identity layer). */
export type TenantPrincipal = {
  readonly type: "tenant_user";
  readonly tenantId: string;
  readonly userId: string;
};

export type Principal = { readonly type: "anonymous" } | { readonly type: "operator" } | TenantPrincipal;
