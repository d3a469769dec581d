import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { data } from "@remix-run/cloudflare";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { changePassword, updateProfile } from "~/.server/identity/accounts.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { browserSessionCookie, redirectWithCookies, secureCookies, tenantPrincipal } from "~/.server/ui/session.server";
import { AccountNav } from "~/components/subnav";
import { NewPasswordFields } from "~/components/set-password-form";
import { TimeZoneSelect } from "~/components/time-zone-select";
import { Field, FieldErrorText, FormAlert, failureOf, Notice, useBusy, useFormResult } from "~/components/forms";
import { LOCALE_COOKIE, LOCALES } from "~/i18n/locale";
import { titleFor } from "~/i18n/meta";
import { supportedTimeZones } from "~/i18n/time-zone";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ChangePasswordFormSchema, ProfileFormSchema } from "~/schemas/forms/account";

export const access = allow.tenantUser();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["profile", "password"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "account.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = tenantPrincipal(context);
  return {
    passwordChanged: new URL(request.url).searchParams.get("notice") === "password",
    name: me.name,
    email: me.email,
    tenantName: me.tenantName,
    tenantSlug: me.tenantSlug,
    tenantRole: me.tenantRole,
    locale: me.locale,
    twoFactorEnabled: me.twoFactorEnabled,
    timeZone: me.timeZone,
    // What "tenant default" means for this user right now (their language and browser decide when the tenant chose none).
    defaultTimeZone: viewerTimeZone(request, context, { ...me, timeZone: null }),
    zones: [...supportedTimeZones()],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  if (formData.get("intent") === "profile") {
    const parsed = parseFormData(formData, ProfileFormSchema);
    if (!parsed.ok) return validationFailure("profile", parsed.errors, formData);
    const result = await attempt("profile", formData, () => updateProfile(context, parsed.data));
    if (!result.ok) return result;
    // The switcher cookie follows the profile, so the page changes language now.
    const secure = secureCookies(request, context) ? "; Secure" : "";
    return data(
      { ok: true as const, form: "profile" },
      { headers: { "Set-Cookie": `${LOCALE_COOKIE}=${parsed.data.locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure}` } },
    );
  }
  const parsed = parseFormData(formData, ChangePasswordFormSchema);
  if (!parsed.ok) return validationFailure("password", parsed.errors, formData);
  const result = await attempt("password", formData, () =>
    changePassword(context, { currentPassword: parsed.data.currentPassword, newPassword: parsed.data.newPassword }),
  );
  if (!result.ok) return result;
  // A browser session is rotated at a password change. Redirect with the new
  // cookie (the page's loaders must not run with the revoked one, which is
  // what a plain document POST would otherwise do).
  return redirectWithCookies("/account?notice=password", result.value ? [browserSessionCookie(request, context, result.value.token)] : []);
}

export default function AccountPage() {
  const t = useT();
  const locale = useLocale();
  const me = useLoaderData<typeof loader>();
  const location = useLocation();
  const profile = useFormResult("profile");
  const password = useFormResult("password");
  const busyProfile = useBusy("profile");
  const busyPassword = useBusy("password");
  const profileFailure = failureOf(profile);
  const passwordFailure = failureOf(password);
  return (
    <>
      <h1>{t("account.title")}</h1>
      <AccountNav />
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("account.profile")}</h2>
        <dl className="facts">
          <dt>{t("account.email")}</dt>
          <dd data-testid="account-email">{me.email}</dd>
          <dt>{t("account.tenant")}</dt>
          <dd>
            {me.tenantName} ({me.tenantSlug})
          </dd>
          <dt>{t("account.tenantRole")}</dt>
          <dd>{t(`role.tenant.${me.tenantRole}` as MessageKey)}</dd>
          <dt>{t("account.twoFactor")}</dt>
          <dd>{me.twoFactorEnabled ? t("twoFactor.on") : t("twoFactor.off")}</dd>
        </dl>
        {profile?.ok ? <Notice>{t("account.profileSaved")}</Notice> : null}
        <FormAlert failure={profileFailure} />
        <Form method="post" className="inline-form" data-testid="profile-form">
          <input type="hidden" name="intent" value="profile" />
          <Field label={t("account.name")} name="name" failure={profileFailure} defaultValue={me.name} maxLength={100} autoComplete="name" />
          <div className="field">
            <label htmlFor="profile-locale">{t("account.language")}</label>
            <select id="profile-locale" name="locale" defaultValue={me.locale ?? locale}>
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {t(`lang.${l}` as MessageKey)}
                </option>
              ))}
            </select>
            <FieldErrorText failure={profileFailure} name="locale" />
          </div>
          <TimeZoneSelect
            id="profile-time-zone"
            zones={me.zones}
            value={me.timeZone}
            defaultLabel={t("time.zone.tenantDefault", { zone: me.defaultTimeZone })}
            failure={profileFailure}
          />
          <button type="submit" disabled={busyProfile}>
            {t("common.save")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t("account.passwordTitle")}</h2>
        <p className="muted">{t("account.passwordLead")}</p>
        {me.passwordChanged && !passwordFailure ? <Notice testId="password-changed">{t("account.passwordChanged")}</Notice> : null}
        <FormAlert failure={passwordFailure} />
        {/* A new location (after the redirect) empties the password fields. */}
        <Form method="post" className="stack" key={location.key}>
          <input type="hidden" name="intent" value="password" />
          <input type="email" name="username" value={me.email} autoComplete="username" readOnly hidden />
          <Field
            label={t("account.currentPassword")}
            name="currentPassword"
            type="password"
            failure={passwordFailure}
            keep={false}
            autoComplete="current-password"
            required
          />
          <NewPasswordFields name="newPassword" label={t("account.newPassword")} failure={passwordFailure} />
          <button type="submit" className="primary" disabled={busyPassword}>
            {t("account.changePassword")}
          </button>
        </Form>
      </section>
    </>
  );
}
