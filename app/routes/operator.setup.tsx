/**
 * The first operator account, made with the bootstrap token (OPERATOR_TOKEN); once any operator
 * exists this page only says so. The new account enrols its authenticator at once (the sign-in's
 * code step), before it can see anything.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { bootstrapFirstOperator, operatorCookie, operatorCount } from "~/.server/operator/console-auth.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { Field, FormAlert, failureOf, useBusy } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { OperatorSetupFormSchema } from "~/schemas/forms/operator";

export const access = allow.anonymous("Creates the first operator account with the bootstrap token; refused once one exists.");

export const meta: MetaFunction = () => [{ title: "Kura — 運営者の設定 / Operator setup" }, { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { setUp: (await operatorCount(context.env)) > 0 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, OperatorSetupFormSchema);
  if (!parsed.ok) return validationFailure("op-setup", parsed.errors, formData);
  const result = await attempt("op-setup", formData, () => bootstrapFirstOperator(context.env, context.config, { ...parsed.data, ip: context.clientIp }));
  if (!result.ok) return result;
  await recordOperatorAction(
    { env: context.env, principal: { type: "operator" }, clientIp: context.clientIp },
    { action: "operator.created", targetType: "operator", targetId: parsed.data.email, details: { via: "bootstrap_token" } },
  );
  const secure = new URL(request.url).protocol === "https:";
  throw redirect("/operator/login", { headers: { "Set-Cookie": operatorCookie(result.value.token, secure, result.value.maxAgeSeconds) } });
}

export default function OperatorSetupPage() {
  const t = useT();
  const { setUp } = useLoaderData<typeof loader>();
  const failure = failureOf(useActionData<typeof action>());
  const busy = useBusy();
  return (
    <section className="card narrow" aria-labelledby="op-setup-heading">
      <h1 id="op-setup-heading">{t("op.setup.title")}</h1>
      {setUp ? (
        <p data-testid="op-setup-done">
          {t("op.setup.done")} <Link to="/operator/login">{t("op.login.title")}</Link>
        </p>
      ) : (
        <>
          <p className="muted">{t("op.setup.lead")}</p>
          <FormAlert failure={failure} />
          <Form method="post" className="stack" data-testid="op-setup-form">
            <Field label={t("op.setup.token")} name="bootstrapToken" type="password" failure={failure} keep={false} autoComplete="off" required />
            <Field label={t("op.setup.name")} name="name" failure={failure} autoComplete="name" required />
            <Field label={t("op.login.email")} name="email" type="email" failure={failure} autoComplete="username" required />
            <Field label={t("op.login.password")} name="password" type="password" failure={failure} keep={false} autoComplete="new-password" required />
            <button type="submit" className="primary" disabled={busy}>
              {t("op.setup.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
