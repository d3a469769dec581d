import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import type { FormFailure } from "./form-types";
import { Field, FormAlert, failureOf, useBusy } from "./forms";

type LoaderData = { valid: false; token: string } | { valid: true; token: string; email: string; tenantName: string; tenantSlug: string; purpose: string };

/** The form of /setup and /reset-password. */
export function SetPasswordPage({ mode }: { mode: "setup" | "reset" }) {
  const t = useT();
  const data = useLoaderData() as LoaderData;
  const failure = failureOf(useActionData());
  const busy = useBusy();
  const title = mode === "setup" ? t("setup.title") : t("reset.title");
  if (!data.valid) {
    return (
      <section className="card narrow" aria-labelledby="pw-heading">
        <h1 id="pw-heading">{title}</h1>
        <p className="alert alert-error" role="alert" data-testid="link-invalid">
          {t("err.linkInvalid")}
        </p>
        <p>
          <Link to="/forgot-password">{t("setup.askNew")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-labelledby="pw-heading">
      <h1 id="pw-heading">{title}</h1>
      <p data-testid="setup-for">{t("setup.for", { email: data.email, tenant: data.tenantName })}</p>
      <FormAlert failure={failure} />
      {failure?.error.code === "bad_request" ? (
        <p>
          <Link to="/forgot-password">{t("setup.askNew")}</Link>
        </p>
      ) : null}
      <Form method="post" className="stack" data-testid="set-password-form">
        <input type="hidden" name="token" value={data.token} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="email" name="username" value={data.email} autoComplete="username" readOnly hidden />
        <NewPasswordFields name="password" label={t("setup.password")} failure={failure} />
        <button type="submit" className="primary" disabled={busy}>
          {t("setup.submit")}
        </button>
      </Form>
    </section>
  );
}

/**
 * A new password and its confirmation, with the policy's bounds and hint:
 * never refilled after a refusal, and filed as a new password by password managers.
 */
export function NewPasswordFields({ name, label, failure }: { name: string; label: string; failure: FormFailure | undefined }) {
  const t = useT();
  return (
    <>
      <Field
        label={label}
        name={name}
        type="password"
        failure={failure}
        keep={false}
        autoComplete="new-password"
        minLength={12}
        maxLength={256}
        required
        hint={t("setup.passwordHint")}
      />
      <Field label={t("setup.confirm")} name="confirmPassword" type="password" failure={failure} keep={false} autoComplete="new-password" required />
    </>
  );
}
