import { redirect } from "@remix-run/cloudflare";
import type { KuraContext } from "../context";
import { parseFormData } from "../http/validation.server";
import { attempt, intentOf, validationFailure } from "../ui/forms.server";
import { secureCookies } from "../ui/session.server";
import { guestCookie, guestSessionState, startGuestSession, verifyGuestCode } from "./guest-access.server";
import { guestFirstPage, guestShareSummary } from "./guest.server";
import type { FormFailure } from "~/components/form-types";
import { GUEST_PORTAL_PAGE } from "~/components/guest/portal-files";
import { GUEST_PORTAL_INTENTS, GuestOpenFormSchema, GuestVerifyFormSchema } from "~/schemas/forms/guest";

/**
 * The guest portal's page side (/s/<token>, issue #14): which gate a visitor stands at (the
 * share's password and address, then the e-mailed code) and, past it, the share. The forms call
 * the same domain functions as the guest API; the guest session goes into the portal's cookie.
 * A visit without a session changes nothing: a link previewer or a mail scanner that fetches the
 * page does not open the share or count as an access.
 */

export async function portalPage(context: KuraContext, token: string, request: Request) {
  const { opened, session, guest } = await guestSessionState(context, token, request);
  const tenant = { name: opened.data.tenant.name };
  if (!session) {
    return {
      stage: "open" as const,
      tenant,
      needs: { password: opened.share.passwordHash !== null, email: opened.share.verifyEmail && opened.link.recipientEmail === null },
      verifies: opened.share.verifyEmail,
    };
  }
  if (!guest) return { stage: "code" as const, tenant, sentTo: session.email };
  // The first page only: the rest is fetched from the guest API's mirror as the guest scrolls, so a
  // share of thousands of files opens as fast as one of fifty.
  return { stage: "in" as const, tenant, share: guestShareSummary(guest), assets: await guestFirstPage(guest, GUEST_PORTAL_PAGE) };
}

const INTENTS = Object.fromEntries(GUEST_PORTAL_INTENTS.map((i) => [i, true])) as Record<(typeof GUEST_PORTAL_INTENTS)[number], true>;

export async function portalAction(context: KuraContext, token: string, request: Request, formData: FormData): Promise<FormFailure | Response> {
  const here = `/s/${token}`;
  const intent = intentOf(formData, INTENTS)?.intent;
  // Back to the gate (a new code needs the password again): the browser forgets this session.
  if (intent === "leave")
    return redirect(here, { headers: { "Set-Cookie": await guestCookie(token, "", new Date(0).toISOString(), secureCookies(request, context)) } });
  if (intent === "verify") {
    const parsed = parseFormData(formData, GuestVerifyFormSchema);
    if (!parsed.ok) return validationFailure("verify", parsed.errors, formData, ["code"]);
    const result = await attempt("verify", formData, () => verifyGuestCode(context, token, request, { code: parsed.data.code }), ["code"]);
    return result.ok ? redirect(here) : result;
  }
  const parsed = parseFormData(formData, GuestOpenFormSchema);
  if (!parsed.ok) return validationFailure("open", parsed.errors, formData, ["password"]);
  const result = await attempt(
    "open",
    formData,
    () => startGuestSession(context, token, { password: parsed.data.password, email: parsed.data.email }, context.locale),
    ["password"],
  );
  if (!result.ok) return result;
  const cookie = await guestCookie(token, result.value.guestToken, result.value.expiresAt, secureCookies(request, context));
  return redirect(here, { headers: { "Set-Cookie": cookie } });
}
