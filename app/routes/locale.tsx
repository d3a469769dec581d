import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { z } from "zod";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { LOCALE_COOKIE, LOCALES } from "~/i18n/locale";
import { allow } from "~/policy/access";
import { SAME_SITE_PATH } from "~/schemas/forms/fields";

export const access = allow.anonymous("Stores the visitor's language choice in a cookie.");

export const LocaleFormSchema = z.object({
  locale: z.enum(LOCALES),
  // Same-site relative paths only: no open redirect through this form.
  redirectTo: z.string().regex(SAME_SITE_PATH).max(2048).catch("/"),
});

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseFormData(await readFormData(request), LocaleFormSchema);
  if (!parsed.ok) {
    return new Response("Unknown language.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  // Plain HTTP only ever reaches here in loopback development.
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return redirect(parsed.data.redirectTo, {
    headers: {
      "Set-Cookie": `${LOCALE_COOKIE}=${parsed.data.locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure}`,
    },
  });
}

export function loader() {
  return redirect("/");
}
