import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { KuraContext } from "~/.server/context";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { completeLoginChallenge, openSession, startLoginChallenge, verifyLogin, type VerifiedLogin } from "~/.server/identity/login.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { browserSessionCookie, optionalPrincipal, redirectWithCookies, safeRedirectPath, secureCookies } from "~/.server/ui/session.server";
import { TOTP_ENROLLMENT_PATH } from "~/.server/policy/guard.server";
import { Field, FormAlert, failureOf, useBusy } from "~/components/forms";
import type { FormFailure } from "~/components/form-types";
import { LOCALE_COOKIE } from "~/i18n/locale";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { LoginCodeFormSchema, LoginFormSchema, LoginHintEmailSchema } from "~/schemas/forms/auth";
import { TENANT_SLUG } from "~/schemas/forms/fields";

export const access = allow.anonymous("The sign-in form must be reachable before signing in.");

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["password", "code"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "login.title");

const NOTICES = ["setup", "reset", "logout"] as const;
type LoginNotice = (typeof NOTICES)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirectPath(url.searchParams.get("redirectTo"), "");
  if (await optionalPrincipal(request, context)) throw redirect(redirectTo || "/projects");
  const tenant = url.searchParams.get("tenant") ?? "";
  const notice = url.searchParams.get("notice");
  // Filled in after a password was set (setPasswordAction), so nobody retypes it.
  const email = LoginHintEmailSchema.safeParse(url.searchParams.get("email"));
  return {
    redirectTo,
    tenant: TENANT_SLUG.test(tenant) ? tenant : "",
    email: email.success ? email.data : "",
    notice: (NOTICES as readonly string[]).includes(notice ?? "") ? (notice as LoginNotice) : null,
  };
}

type CodeStep = { ok: true; form: "login"; step: "code"; challenge: string; redirectTo: string; failure?: FormFailure };

async function signedIn(request: Request, context: KuraContext, login: VerifiedLogin, redirectTo: string | undefined): Promise<Response> {
  const session = await openSession(context, login, "browser");
  const cookies = [browserSessionCookie(request, context, session.token)];
  // The user's saved language follows them to this browser.
  if (login.user.locale === "ja" || login.user.locale === "en") {
    const secure = secureCookies(request, context) ? "; Secure" : "";
    cookies.push(`${LOCALE_COOKIE}=${login.user.locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure}`);
  }
  const to = login.mustEnrollTotp ? TOTP_ENROLLMENT_PATH : safeRedirectPath(redirectTo, "/projects");
  return redirectWithCookies(to, cookies);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  if (formData.get("intent") === "code") {
    const parsed = parseFormData(formData, LoginCodeFormSchema);
    const challenge = String(formData.get("challenge") ?? "");
    const redirectTo = safeRedirectPath(formData.get("redirectTo"), "");
    if (!parsed.ok) {
      return { ok: true, form: "login", step: "code", challenge, redirectTo, failure: validationFailure("login", parsed.errors, formData) } satisfies CodeStep;
    }
    const result = await attempt("login", formData, () => completeLoginChallenge(context, parsed.data.challenge, parsed.data.code));
    if (!result.ok) {
      // An expired or used challenge sends the user back to the password step.
      if (result.error.code === "invalid_credentials") return result;
      return { ok: true, form: "login", step: "code", challenge, redirectTo, failure: result } satisfies CodeStep;
    }
    return signedIn(request, context, result.value, parsed.data.redirectTo);
  }

  const parsed = parseFormData(formData, LoginFormSchema);
  if (!parsed.ok) return validationFailure("login", parsed.errors, formData);
  const { tenant, email, password, redirectTo } = parsed.data;
  const result = await attempt("login", formData, () => verifyLogin(context, { tenant, email, password }, { otpStep: "deferred" }));
  if (!result.ok) return result;
  if (result.value.user.totpEnabled) {
    const challenge = await startLoginChallenge(result.value);
    return { ok: true, form: "login", step: "code", challenge, redirectTo: redirectTo ?? "" } satisfies CodeStep;
  }
  return signedIn(request, context, result.value, redirectTo);
}

export default function LoginPage() {
  const t = useT();
  const { redirectTo, tenant, email, notice } = useLoaderData<typeof loader>();
  const result = useActionData() as CodeStep | FormFailure | undefined;
  const busy = useBusy();
  const codeStep = result && result.ok ? result : null;

  if (codeStep) {
    const failure = codeStep.failure;
    return (
      <section className="card narrow" aria-labelledby="login-heading">
        <h1 id="login-heading">{t("login.codeTitle")}</h1>
        <p className="muted">{t("login.codeLead")}</p>
        <FormAlert failure={failure} />
        <Form method="post" className="stack" data-testid="login-code-form">
          <input type="hidden" name="intent" value="code" />
          <input type="hidden" name="challenge" value={codeStep.challenge} />
          <input type="hidden" name="redirectTo" value={codeStep.redirectTo} />
          <Field
            label={t("login.code")}
            name="code"
            failure={failure}
            keep={false}
            autoComplete="one-time-code"
            inputMode="text"
            required
            autoFocus
            hint={t("login.codeHint")}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("login.verify")}
          </button>
        </Form>
        <p>
          <Link to="/login" reloadDocument>
            {t("login.startOver")}
          </Link>
        </p>
      </section>
    );
  }

  const failure = failureOf(result);
  // The reset form starts with the tenant the user already typed.
  const typed = failure?.values.tenant?.trim().toLowerCase() ?? tenant;
  const forgotTenant = TENANT_SLUG.test(typed) ? typed : "";
  return (
    <section className="card narrow" aria-labelledby="login-heading">
      <h1 id="login-heading">{t("login.title")}</h1>
      {notice ? (
        <p className="alert alert-ok" role="status" data-testid="login-notice">
          {t(`login.notice.${notice}`)}
        </p>
      ) : null}
      <FormAlert failure={failure} />
      <Form method="post" className="stack" data-testid="login-form">
        <input type="hidden" name="intent" value="password" />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <Field
          label={t("login.tenant")}
          name="tenant"
          failure={failure}
          defaultValue={tenant}
          autoComplete="organization"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint={t("login.tenantHint")}
        />
        <Field label={t("login.email")} name="email" type="email" failure={failure} defaultValue={email} autoComplete="username" required />
        {/* Filled in after setting a password: the cursor starts where typing is left. */}
        <Field
          label={t("login.password")}
          name="password"
          type="password"
          failure={failure}
          keep={false}
          autoComplete="current-password"
          required
          autoFocus={Boolean(tenant && email)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to={forgotTenant ? `/forgot-password?tenant=${encodeURIComponent(forgotTenant)}` : "/forgot-password"}>{t("login.forgot")}</Link>
      </p>
    </section>
  );
}
