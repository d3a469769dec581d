import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseFormData, readFormData } from "../http/validation.server";
import { describeSetupToken, setPasswordWithToken } from "../identity/accounts.server";
import { attempt, validationFailure } from "./forms.server";
import { redirectWithCookies } from "./session.server";
import { SetPasswordFormSchema } from "~/schemas/forms/auth";

/**
 * Shared by /setup (first password) and /reset-password: the same domain
 * call, the same single-use token kind.
 */
export async function setPasswordLoader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const described = token && token.length <= 512 ? await describeSetupToken(context, token) : null;
  if (!described) return { valid: false as const, token: "" };
  return {
    valid: true as const,
    token,
    email: described.email,
    tenantName: described.tenant.name,
    tenantSlug: described.tenant.slug,
    purpose: described.purpose,
  };
}

export async function setPasswordAction({ request, context }: ActionFunctionArgs, notice: "setup" | "reset") {
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, SetPasswordFormSchema);
  if (!parsed.ok) return validationFailure("password", parsed.errors, formData);
  const result = await attempt("password", formData, () => setPasswordWithToken(context, parsed.data.token, parsed.data.password));
  if (!result.ok) return result;
  // Every session of the user was revoked; they sign in with the new password
  // through the one sign-in path (throttling, allow-list, 2FA), with the
  // tenant and e-mail already filled in (ADR 0023, "Texts").
  const to = `/login?${new URLSearchParams({ tenant: result.value.tenant.slug, email: result.value.email, notice })}`;
  return redirectWithCookies(to, []);
}
