/**
 * Route access declarations. Every route module exports
 *
 *   export const access = allow.<kind>(...)
 *
 * and workers/index.ts wraps every loader and action so the declaration is
 * enforced before route code runs. A module without one is denied at run
 * time and fails test/integration/access/route-policy.test.ts.
 */
export type RouteAccess =
  /** Anyone, signed in or not (public pages, status, the API's own 404). */
  | { readonly kind: "anonymous"; readonly reason: string }
  /** The service provider's staff, `Bearer <OPERATOR_TOKEN>`, API only. */
  | { readonly kind: "operator" }
  /** The operator console (ADR 0027): an operator account signed in with password and TOTP. */
  | { readonly kind: "operator_console" }
  /**
   * Any active user of a tenant: bearer token on /api, session cookie in the
   * UI. `duringTotpEnrollment` marks the few routes a user whose tenant
   * requires 2FA may use before enrolling (enrolment itself, /me, logout).
   */
  | { readonly kind: "tenant_user"; readonly duringTotpEnrollment: boolean }
  /**
   * A user whose tenant role is tenant_admin. `duringTotpEnrollment` as for
   * tenant_user: only the security settings, so the admin who requires 2FA
   * can always see and undo the setting before enrolling (ADR 0024).
   */
  | { readonly kind: "tenant_admin"; readonly duringTotpEnrollment: boolean };

export type AccessKind = RouteAccess["kind"];

export const allow = {
  /** `reason` documents, in the module itself, why the route may be public. */
  anonymous: (reason: string): RouteAccess => Object.freeze({ kind: "anonymous", reason }),
  operator: (): RouteAccess => Object.freeze({ kind: "operator" }),
  operatorConsole: (): RouteAccess => Object.freeze({ kind: "operator_console" }),
  /** Project-scoped routes add `requireProjectPermission(...)` in the handler. */
  tenantUser: (options: { duringTotpEnrollment?: boolean } = {}): RouteAccess =>
    Object.freeze({ kind: "tenant_user", duringTotpEnrollment: options.duringTotpEnrollment === true }),
  tenantAdmin: (options: { duringTotpEnrollment?: boolean } = {}): RouteAccess =>
    Object.freeze({ kind: "tenant_admin", duringTotpEnrollment: options.duringTotpEnrollment === true }),
} as const;

const KINDS: ReadonlySet<string> = new Set<AccessKind>(["anonymous", "operator", "operator_console", "tenant_user", "tenant_admin"]);

export function isRouteAccess(value: unknown): value is RouteAccess {
  return (
    typeof value === "object" &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string) &&
    ((value as { kind: string }).kind !== "anonymous" ||
      (typeof (value as { reason?: unknown }).reason === "string" && (value as { reason: string }).reason.trim().length > 0))
  );
}

/** A signed-in user of one tenant (app/.server/auth/authenticate.server.ts). */
export type TenantPrincipal = {
  readonly type: "tenant_user";
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly tenantRole: "tenant_admin" | "user";
  readonly twoFactorEnabled: boolean;
  readonly locale: "ja" | "en" | null;
  /** The user's own time zone, and the tenant's default (null = not chosen; ADR 0023). */
  readonly timeZone: string | null;
  readonly tenantTimeZone: string | null;
  /** Which credential authenticated this request. */
  readonly credential: { readonly kind: "browser_session" | "api_session" | "personal_token"; readonly id: string };
  /** The tenant requires 2FA and this user has not enrolled yet. */
  readonly mustEnrollTotp: boolean;
};

/** The operator: the API's bearer token (no account), or a console operator's account. */
export type OperatorPrincipal = { readonly type: "operator"; readonly account?: { readonly id: string; readonly email: string; readonly name: string } };

export type Principal = { readonly type: "anonymous" } | OperatorPrincipal | TenantPrincipal;
