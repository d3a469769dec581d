import type { KuraContext } from "../context";
import { cookieValue, localeFromCookie, type Locale } from "~/i18n/locale";
import { canonicalTimeZone, effectiveTimeZone, TIME_ZONE_COOKIE } from "~/i18n/time-zone";
import type { TenantPrincipal } from "~/policy/access";

/**
 * How a page speaks to its viewer: the language and the time zone, decided
 * the same way for the shell (root loader) and for loaders that compute with
 * them (the audit screen's days), so what is shown and what is filtered agree.
 */

/** The switcher's cookie, then the user's profile, then the browser (Accept-Language). */
export function viewerLocale(request: Request, context: Pick<KuraContext, "locale">, principal: TenantPrincipal | null): Locale {
  return localeFromCookie(request) ?? principal?.locale ?? context.locale;
}

/** The zone the browser reported through its cookie (app/root.tsx), if the runtime knows it. */
export function browserTimeZone(request: Request): string | null {
  const raw = cookieValue(request.headers.get("Cookie"), TIME_ZONE_COOKIE);
  if (!raw) return null;
  try {
    return canonicalTimeZone(decodeURIComponent(raw));
  } catch {
    return null;
  }
}

/** The zone the viewer sees times in (ADR 0023). */
export function viewerTimeZone(request: Request, context: Pick<KuraContext, "locale">, principal: TenantPrincipal | null): string {
  return effectiveTimeZone({
    user: principal?.timeZone ?? null,
    tenant: principal?.tenantTimeZone ?? null,
    locale: viewerLocale(request, context, principal),
    browser: browserTimeZone(request),
  });
}
