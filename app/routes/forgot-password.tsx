import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { requestPasswordReset } from "~/.server/identity/accounts.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { Field, FormAlert, failureOf, Notice, useBusy } from "~/components/forms";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ForgotPasswordFormSchema } from "~/schemas/forms/auth";
import { TENANT_SLUG } from "~/schemas/forms/fields";

export const access = allow.anonymous("Users who cannot sign in ask for a reset link here; the answer never reveals whether the account exists.");

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "forgot.title");

/** The tenant is prefilled when the sign-in form knew it. */
export function loader({ request }: LoaderFunctionArgs) {
  const tenant = new URL(request.url).searchParams.get("tenant") ?? "";
  return { tenant: TENANT_SLUG.test(tenant) ? tenant : "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, ForgotPasswordFormSchema);
  if (!parsed.ok) return validationFailure("forgot", parsed.errors, formData);
  const result = await attempt("forgot", formData, () => requestPasswordReset(context, parsed.data));
  if (!result.ok) return result;
  return { ok: true as const, form: "forgot" };
}

export default function ForgotPasswordPage() {
  const t = useT();
  const { tenant } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = failureOf(result);
  const busy = useBusy();
  return (
    <section className="card narrow" aria-labelledby="forgot-heading">
      <h1 id="forgot-heading">{t("forgot.title")}</h1>
      {result?.ok ? (
        <Notice testId="forgot-sent">{t("forgot.sent")}</Notice>
      ) : (
        <>
          <p className="muted">{t("forgot.lead")}</p>
          <FormAlert failure={failure} />
          <Form method="post" className="stack">
            <Field label={t("login.tenant")} name="tenant" failure={failure} defaultValue={tenant} autoCapitalize="none" spellCheck={false} required />
            <Field label={t("login.email")} name="email" type="email" failure={failure} autoComplete="username" required />
            <button type="submit" className="primary" disabled={busy}>
              {t("forgot.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("forgot.back")}</Link>
      </p>
    </section>
  );
}
