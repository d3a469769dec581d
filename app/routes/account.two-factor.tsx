import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { data } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { confirmTotp, disableTotp, enrollTotp } from "~/.server/identity/accounts.server";
import { attempt, failure, validationFailure } from "~/.server/ui/forms.server";
import { browserSessionCookie, tenantPrincipal } from "~/.server/ui/session.server";
import { Field, FieldErrorText, FormAlert, failureOf, Notice, useBusy } from "~/components/forms";
import type { FormFailure } from "~/components/form-types";
import { AccountNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { TotpConfirmFormSchema, TotpDisableFormSchema } from "~/schemas/forms/account";

/** Reachable before enrolment: the guard sends users here when their tenant requires 2FA. */
export const access = allow.tenantUser({ duringTotpEnrollment: true });

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["enroll", "confirm", "disable"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "twoFactor.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const me = tenantPrincipal(context);
  // An admin who must enrol may still change the requirement itself (ADR 0024).
  return { enabled: me.twoFactorEnabled, mustEnroll: me.mustEnrollTotp, isAdmin: me.tenantRole === "tenant_admin" };
}

type Enrollment = { secret: string; otpauthUri: string; qrSvg: string };

type Result =
  { ok: true; form: "enroll"; enrollment: Enrollment } | { ok: true; form: "confirm"; recoveryCodes: string[] } | { ok: true; form: "disable" } | FormFailure;

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "enroll") {
    const result = await attempt("enroll", formData, () => enrollTotp(context));
    if (!result.ok) return result as Result;
    const { secret, otpauthUri, qrSvg } = result.value;
    // No caching: the secret is shown exactly once, to this response.
    return data({ ok: true, form: "enroll", enrollment: { secret, otpauthUri, qrSvg } } as Result, { headers: { "Cache-Control": "no-store" } });
  }
  if (intent === "confirm") {
    const parsed = parseFormData(formData, TotpConfirmFormSchema);
    if (!parsed.ok) return validationFailure("confirm", parsed.errors, formData) as Result;
    // Confirming rotates the session. In a plain document POST (no
    // JavaScript) the page's loaders would run in the same request with the
    // old, revoked cookie, and the recovery codes would never be shown; so
    // 2FA is only switched on from the hydrated app (which adds via=app).
    if (formData.get("via") !== "app") {
      return failure("confirm", { code: "bad_request", message: { key: "twoFactor.needsScript" }, fields: {} }, formData) as Result;
    }
    const result = await attempt("confirm", formData, () => confirmTotp(context, parsed.data.code));
    if (!result.ok) return result as Result;
    const headers = new Headers({ "Cache-Control": "no-store" });
    // Enrolment rotates the browser session (privilege change).
    if (result.value.rotated) headers.append("Set-Cookie", browserSessionCookie(request, context, result.value.rotated.token));
    return data({ ok: true, form: "confirm", recoveryCodes: result.value.recoveryCodes } as Result, { headers });
  }
  const parsed = parseFormData(formData, TotpDisableFormSchema);
  if (!parsed.ok) return validationFailure("disable", parsed.errors, formData) as Result;
  const result = await attempt("disable", formData, () => disableTotp(context, parsed.data.password));
  if (!result.ok) return result as Result;
  return { ok: true, form: "disable" } as Result;
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="codes-heading">
      <Notice testId="totp-enabled">{t("twoFactor.enabledNow")}</Notice>
      <h2 id="codes-heading">{t("twoFactor.recoveryTitle")}</h2>
      <p>{t("twoFactor.recoveryLead")}</p>
      <ol className="codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <p>
        <Link to="/projects">{t("twoFactor.continue")}</Link>
      </p>
    </section>
  );
}

export default function TwoFactorPage() {
  const t = useT();
  const { enabled, mustEnroll, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useBusy();
  // The pending secret stays on screen while the user types codes (a wrong
  // code re-renders the page without it).
  const [enrollment, setEnrollment] = useState<Enrollment | null>(result?.ok && result.form === "enroll" ? result.enrollment : null);
  useEffect(() => {
    if (result?.ok && result.form === "enroll") setEnrollment(result.enrollment);
  }, [result]);
  const failed = failureOf(result);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  if (result?.ok && result.form === "confirm") {
    return (
      <>
        <h1>{t("twoFactor.title")}</h1>
        <RecoveryCodes codes={result.recoveryCodes} />
      </>
    );
  }

  return (
    <>
      <h1>{t("twoFactor.title")}</h1>
      {mustEnroll ? (
        <div className="alert alert-warn" role="alert" data-testid="must-enroll">
          <p>{t("twoFactor.required")}</p>
          {isAdmin ? (
            <p>
              {t("twoFactor.adminCanChange")} <Link to="/admin/security">{t("admin.security.title")}</Link>
            </p>
          ) : null}
        </div>
      ) : (
        <AccountNav />
      )}
      {result?.ok && result.form === "disable" ? <Notice testId="totp-disabled">{t("twoFactor.disabledNow")}</Notice> : null}
      <section className="card" aria-labelledby="tf-heading">
        <h2 id="tf-heading">
          {t("twoFactor.status")}:{" "}
          <span data-testid="totp-state" data-state={enabled ? "on" : "off"}>
            {enabled ? t("twoFactor.on") : t("twoFactor.off")}
          </span>
        </h2>
        {enabled ? (
          <>
            <p>{t("twoFactor.disableLead")}</p>
            <FormAlert failure={failed?.form === "disable" ? failed : undefined} />
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="disable" />
              <Field
                label={t("login.password")}
                name="password"
                type="password"
                failure={failed?.form === "disable" ? failed : undefined}
                keep={false}
                autoComplete="current-password"
                required
              />
              <button type="submit" className="danger" disabled={busy}>
                {t("twoFactor.disable")}
              </button>
            </Form>
          </>
        ) : enrollment ? (
          <>
            <p>{t("twoFactor.scan")}</p>
            {/* Our own SVG from uqr (no user input in it). */}
            <div className="qr" role="img" aria-label={t("twoFactor.qrLabel")} dangerouslySetInnerHTML={{ __html: enrollment.qrSvg }} />
            <p>
              {t("twoFactor.secretLabel")}{" "}
              <code className="secret" data-testid="totp-secret">
                {enrollment.secret}
              </code>
            </p>
            <FormAlert failure={failed?.form === "confirm" ? failed : undefined} />
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="confirm" />
              {hydrated ? <input type="hidden" name="via" value="app" /> : null}
              <Field
                label={t("twoFactor.code")}
                name="code"
                failure={failed?.form === "confirm" ? failed : undefined}
                keep={false}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
              />
              <button type="submit" className="primary" disabled={busy}>
                {t("twoFactor.confirm")}
              </button>
            </Form>
          </>
        ) : (
          <>
            <p>{t("twoFactor.lead")}</p>
            <FormAlert failure={failed?.form === "enroll" || failed?.form === "confirm" ? failed : undefined} />
            {/* Without JavaScript a failed confirmation comes back without the key: start again. */}
            <FieldErrorText failure={failed?.form === "confirm" ? failed : undefined} name="code" />
            <Form method="post">
              <input type="hidden" name="intent" value="enroll" />
              <button type="submit" className="primary" disabled={busy} data-testid="totp-start">
                {t("twoFactor.start")}
              </button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
