import { redirect } from "@remix-run/cloudflare";
import type { KuraContext } from "../context";
import { authenticateTenantUser } from "../auth/authenticate.server";
import { clearSessionCookie, sessionCookie } from "../auth/sessions.server";
import { isLocalDevelopment } from "../http/transport.server";
import { fail } from "../http/errors.server";
import type { TenantPrincipal } from "~/policy/access";
import { SAME_SITE_PATH } from "~/schemas/forms/fields";

/** Cookies are Secure everywhere except plain-HTTP loopback development. */
export function secureCookies(request: Request, context: Pick<KuraContext, "config">): boolean {
  return !isLocalDevelopment(new URL(request.url), context.config.environment);
}

export function browserSessionCookie(request: Request, context: Pick<KuraContext, "config">, token: string): string {
  return sessionCookie(token, secureCookies(request, context), context.config.sessionAbsoluteHours * 3600);
}

export function clearBrowserSessionCookie(request: Request, context: Pick<KuraContext, "config">): string {
  return clearSessionCookie(secureCookies(request, context));
}

/**
 * The signed-in user on a public page (shell, home, login), or null. Only an
 * active session from an allowed IP counts.
 */
export async function optionalPrincipal(request: Request, context: KuraContext): Promise<TenantPrincipal | null> {
  const authenticated = await authenticateTenantUser(request, context.env, context.config, {
    via: "cookie",
    clientIp: context.clientIp,
    waitUntil: context.waitUntil,
  });
  if (!authenticated || !authenticated.ipAllowed) return null;
  return authenticated.principal;
}

/** The principal the guard put into the context of a tenant-user route. */
export function tenantPrincipal(context: KuraContext): TenantPrincipal {
  if (context.principal.type !== "tenant_user") fail("unauthenticated", "Sign in first.");
  return context.principal;
}

/** Same-site relative paths only: no open redirect. */
export function safeRedirectPath(value: unknown, fallback = "/projects"): string {
  if (typeof value !== "string" || value.length > 2048) return fallback;
  if (!SAME_SITE_PATH.test(value)) return fallback;
  return value;
}

export function redirectWithCookies(to: string, cookies: string[]): Response {
  const headers = new Headers();
  for (const c of cookies) headers.append("Set-Cookie", c);
  return redirect(to, { headers });
}
