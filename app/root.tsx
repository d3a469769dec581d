import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { searchWithoutIndex, useNoIndexInAddress } from "./components/clean-url";
import { useNonce } from "./components/nonce";
import { allow } from "./policy/access";
import { optionalPrincipal } from "./.server/ui/session.server";
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from "./i18n/locale";
import { BrowserTimeZoneScript } from "./components/browser-time-zone";
import { viewerLocale, viewerTimeZone } from "./.server/ui/viewer.server";
import { translate, type MessageKey } from "./i18n/messages";
import { ErrorPage } from "./components/route-error";
import stylesHref from "./styles/app.css?url";
import { NoticeBanner, useNotices } from "./components/notices";
import { noticesFor } from "./.server/notices/announcements.server";
import { hiddenNoticeIds } from "./schemas/forms/notices";

export const access = allow.anonymous("The app shell: the locale, and for a signed-in user the current notices addressed to their tenant.");

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesHref },
];

export const meta: MetaFunction = () => [{ title: "Kura" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await optionalPrincipal(request, context);
  // The switcher's cookie, then the user's profile, then the browser.
  const locale = viewerLocale(request, context, principal);
  // Decided here, once per document, so server and browser render the same times (ADR 0023).
  const timeZone = viewerTimeZone(request, context, principal);
  const user: ShellUser | null = principal
    ? {
        name: principal.name,
        email: principal.email,
        tenantName: principal.tenantName,
        tenantSlug: principal.tenantSlug,
        isAdmin: principal.tenantRole === "tenant_admin",
        mustEnrollTotp: principal.mustEnrollTotp,
      }
    : null;
  // The current announcements for the user's tenant (the banner and the /notices page), and the
  // ones this browser has hidden from the banner.
  const notices = principal && !principal.mustEnrollTotp ? await noticesFor(context.env, principal.tenantId) : [];
  return { locale, timeZone, requestId: context.requestId, user, notices, hiddenNotices: hiddenNoticeIds(request.headers.get("Cookie")) };
}

type ShellUser = {
  name: string;
  email: string;
  tenantName: string;
  tenantSlug: string;
  isAdmin: boolean;
  mustEnrollTotp: boolean;
};

type RootData = { locale: Locale; requestId: string; user: ShellUser | null };

function useRootData(): RootData {
  const data = useRouteLoaderData("root") as Partial<RootData> | undefined;
  return {
    locale: isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE,
    requestId: typeof data?.requestId === "string" ? data.requestId : "",
    user: data?.user ?? null,
  };
}

function MainNav({ user, t }: { user: ShellUser | null; t: (key: MessageKey) => string }) {
  return (
    <nav aria-label="main" className="main-nav">
      {user && !user.mustEnrollTotp ? (
        <>
          <NavLink to="/projects">{t("nav.projects")}</NavLink>
          <NavLink to="/notices">{t("nav.notices")}</NavLink>
          <NavLink to="/account">{t("nav.account")}</NavLink>
          {user.isAdmin ? (
            <NavLink to="/admin" data-testid="nav-admin">
              {t("nav.admin")}
            </NavLink>
          ) : null}
        </>
      ) : null}
      <NavLink to="/status">{t("nav.status")}</NavLink>
    </nav>
  );
}

function UserMenu({ user, t }: { user: ShellUser | null; t: (key: MessageKey) => string }) {
  if (!user) {
    return (
      <Link to="/login" className="button-link" data-testid="nav-login">
        {t("nav.login")}
      </Link>
    );
  }
  return (
    <div className="user-menu">
      <span className="whoami" data-testid="nav-user">
        <strong>{user.name || user.email}</strong>
        <span className="muted" data-testid="nav-tenant">
          {user.tenantName} ({user.tenantSlug})
        </span>
      </span>
      <Form method="post" action="/logout" reloadDocument>
        <button type="submit" data-testid="logout">
          {t("nav.logout")}
        </button>
      </Form>
    </div>
  );
}

function LanguageSwitcher({ locale }: { locale: Locale }) {
  const location = useLocation();
  const t = (key: MessageKey) => translate(locale, key);
  return (
    <Form method="post" action="/locale" className="lang-switch" reloadDocument>
      <input type="hidden" name="redirectTo" value={location.pathname + (searchWithoutIndex(location.search) ?? location.search)} />
      <label htmlFor="locale-select">{t("nav.language")}</label>
      <select id="locale-select" name="locale" defaultValue={locale}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {translate(l, `lang.${l}` as MessageKey)}
          </option>
        ))}
      </select>
      <button type="submit">{t("lang.switch")}</button>
    </Form>
  );
}

/** The guest portal's pages (handle.guestPortal) show no app navigation: their visitor has no account here. */
function useGuestPortal(): boolean {
  return useMatches().some((m) => (m.handle as { guestPortal?: boolean } | undefined)?.guestPortal === true);
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const { locale, user } = useRootData();
  const guestPortal = useGuestPortal();
  const { notices, hidden } = useNotices();
  const t = (key: MessageKey) => translate(locale, key);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <BrowserTimeZoneScript nonce={nonce} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("nav.skip")}
        </a>
        <header className="app-header">
          {/* The accessible name is the visible "蔵 Kura" and then where it leads (label-content-name-mismatch). */}
          {guestPortal ? (
            <span className="brand">
              <span className="brand-mark">蔵</span> <span>Kura</span>
            </span>
          ) : (
            <>
              <Link to="/" className="brand">
                <span className="brand-mark">蔵</span> <span>Kura</span>
                <span className="visually-hidden"> — {t("nav.home")}</span>
              </Link>
              <MainNav user={user} t={t} />
              <UserMenu user={user} t={t} />
            </>
          )}
          <LanguageSwitcher locale={locale} />
        </header>
        {guestPortal ? null : <NoticeBanner notices={notices.filter((n) => !hidden.has(n.id))} />}
        <main id="main" className="app-main">
          {children}
        </main>
        <footer className="app-footer">© Kura</footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useNoIndexInAddress();
  return <Outlet />;
}

/** Leaks nothing: no stack, no message from the server, only a reference. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { locale, requestId } = useRootData();
  const t = (key: MessageKey) => translate(locale, key);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return <ErrorPage status={status} requestId={requestId} t={t} back={{ to: "/", label: t("error.home") }} />;
}
