import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { logout } from "~/.server/identity/accounts.server";
import { clearBrowserSessionCookie, optionalPrincipal, redirectWithCookies } from "~/.server/ui/session.server";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Signing out must work whatever state the cookie is in; it only revokes the caller's own session and clears the cookie.");

/** POST only: a GET (link, prefetch) never signs anyone out. */
export function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await optionalPrincipal(request, context);
  if (principal && principal.credential.kind === "browser_session") await logout({ ...context, principal });
  return redirectWithCookies("/login?notice=logout", [clearBrowserSessionCookie(request, context)]);
}

export default function Logout() {
  return null;
}
