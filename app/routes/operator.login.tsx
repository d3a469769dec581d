/**
 * The operator console's sign-in (ADR 0027): e-mail and password, then a TOTP code; an operator
 * who has not enrolled yet scans the key here first. Nothing of a tenant is on this page.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  challengeOperator,
  consoleOperator,
  enrolmentFor,
  operatorCodeStep,
  operatorCookie,
  operatorCount,
  operatorPasswordStep,
} from "~/.server/operator/console-auth.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { attempt, intentOf, validationFailure } from "~/.server/ui/forms.server";
import { Field, FormAlert, failureOf, useBusy } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { OperatorCodeFormSchema, OperatorLoginFormSchema } from "~/schemas/forms/operator";

export const access = allow.anonymous(
  "Operators sign in here; the page shows nothing but the sign-in (and, to an operator past the password, their own enrolment key).",
);

export const meta: MetaFunction = () => [{ title: "Kura — 運営者ログイン / Operator sign-in" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await consoleOperator(context.env, request)) throw redirect("/operator");
  const challenge = await challengeOperator(context.env, request);
  if (challenge) {
    const enrol = challenge.operator.status === "pending_totp" ? await enrolmentFor(context.env, challenge.operator) : null;
    return { stage: "code" as const, enrol: enrol ? { secret: enrol.secret, qrSvg: enrol.qrSvg } : null, hasOperators: true };
  }
  return { stage: "password" as const, enrol: null, hasOperators: (await operatorCount(context.env)) > 0 };
}

const INTENTS = { password: OperatorLoginFormSchema, code: OperatorCodeFormSchema } as const;
/** The form's buttons (the authorization matrix has a row for each). */
export const intents = Object.keys(INTENTS) as (keyof typeof INTENTS)[];

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const chosen = intentOf(formData, INTENTS);
  if (!chosen) return validationFailure("op-login", [{ path: "", message: "v.required" }], formData);
  const secure = new URL(request.url).protocol === "https:";
  if (chosen.intent === "password") {
    const parsed = parseFormData(formData, OperatorLoginFormSchema);
    if (!parsed.ok) return validationFailure("op-login", parsed.errors, formData);
    const result = await attempt("op-login", formData, () => operatorPasswordStep(context.env, context.config, { ...parsed.data, ip: context.clientIp }));
    if (!result.ok) return result;
    throw redirect("/operator/login", { headers: { "Set-Cookie": operatorCookie(result.value.token, secure, result.value.maxAgeSeconds) } });
  }
  // No sign-in in progress (or it expired): start again.
  if (!(await challengeOperator(context.env, request))) throw redirect("/operator/login");
  const parsed = parseFormData(formData, OperatorCodeFormSchema);
  if (!parsed.ok) return validationFailure("op-code", parsed.errors, formData);
  const result = await attempt("op-code", formData, () => operatorCodeStep(context.env, request, parsed.data.code));
  if (!result.ok) return result;
  const headers = { "Set-Cookie": operatorCookie(result.value.token, secure, result.value.maxAgeSeconds) };
  const account = await consoleOperator(context.env, new Request(request.url, { headers: { Cookie: headers["Set-Cookie"].split(";")[0]! } }));
  if (account)
    await recordOperatorAction({ env: context.env, principal: { type: "operator", account }, clientIp: context.clientIp }, { action: "operator.signed_in" });
  throw redirect("/operator", { headers });
}

export default function OperatorLoginPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const failure = failureOf(useActionData<typeof action>());
  const busy = useBusy();
  return (
    <section className="card narrow" aria-labelledby="op-login-heading">
      <h1 id="op-login-heading">{t("op.login.title")}</h1>
      <FormAlert failure={failure} />
      {data.stage === "password" ? (
        <>
          <Form method="post" className="stack" data-testid="op-login-form">
            <input type="hidden" name="intent" value="password" />
            <Field label={t("op.login.email")} name="email" type="email" failure={failure} autoComplete="username" required />
            <Field label={t("op.login.password")} name="password" type="password" failure={failure} keep={false} autoComplete="current-password" required />
            <button type="submit" className="primary" disabled={busy}>
              {t("op.login.submit")}
            </button>
          </Form>
          {data.hasOperators ? null : (
            <p>
              {t("op.login.noOperators")} <Link to="/operator/setup">{t("op.login.setupLink")}</Link>
            </p>
          )}
        </>
      ) : (
        <>
          {data.enrol ? (
            <div className="enrol" data-testid="op-enrol">
              <p>{t("op.login.enrol")}</p>
              <div className="qr" dangerouslySetInnerHTML={{ __html: data.enrol.qrSvg }} />
              <p className="small">
                {t("op.login.secret")}: <code data-testid="op-totp-secret">{data.enrol.secret}</code>
              </p>
            </div>
          ) : null}
          <Form method="post" className="stack" data-testid="op-code-form">
            <input type="hidden" name="intent" value="code" />
            <Field label={t("op.login.code")} name="code" failure={failure} keep={false} inputMode="numeric" autoComplete="one-time-code" required />
            <button type="submit" className="primary" disabled={busy}>
              {t("op.login.codeSubmit")}
            </button>
          </Form>
          <Form method="post" action="/operator/logout" reloadDocument>
            <button type="submit" className="link-button">
              {t("op.login.restart")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
