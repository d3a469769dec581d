/**
 * The operator accounts (ADR 0027): a signed-in operator adds one (it enrols its own authenticator
 * at its first sign-in) or disables another (its sessions end at once).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { addOperator, disableOperator, listOperators } from "~/.server/operator/console-auth.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { attempt, intentOf, validationFailure } from "~/.server/ui/forms.server";
import { DateTime } from "~/components/date-time";
import { Field, FormAlert, failureOf, Notice, useBusy } from "~/components/forms";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { AddOperatorFormSchema, DisableOperatorFormSchema } from "~/schemas/forms/operator";

export const access = allow.operatorConsole();

export const meta: MetaFunction = () => [{ title: "Kura — 運営者 / Operators" }, { name: "robots", content: "noindex" }];

const INTENTS = { add: AddOperatorFormSchema, disable: DisableOperatorFormSchema } as const;
/** The page's buttons (the authorization matrix has a row for each). */
export const intents = Object.keys(INTENTS) as (keyof typeof INTENTS)[];

export async function loader({ context }: LoaderFunctionArgs) {
  return { operator: operatorPrincipal(context), operators: await listOperators(context.env) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const me = operatorPrincipal(context);
  const formData = await readFormData(request);
  const chosen = intentOf(formData, INTENTS);
  if (!chosen) return validationFailure("operators", [{ path: "", message: "v.required" }], formData);
  if (chosen.intent === "add") {
    const parsed = parseFormData(formData, AddOperatorFormSchema);
    if (!parsed.ok) return validationFailure("add", parsed.errors, formData);
    const result = await attempt("add", formData, () => addOperator(context.env, context.config, parsed.data));
    if (!result.ok) return result;
    await recordOperatorAction(context, {
      action: "operator.created",
      targetType: "operator",
      targetId: result.value.id,
      details: { email: parsed.data.email },
    });
    return { ok: true as const, form: "add" };
  }
  const parsed = parseFormData(formData, DisableOperatorFormSchema);
  if (!parsed.ok) return validationFailure("disable", parsed.errors, formData);
  const result = await attempt("disable", formData, () => disableOperator(context.env, me.id, parsed.data.operatorId));
  if (!result.ok) return result;
  await recordOperatorAction(context, { action: "operator.disabled", targetType: "operator", targetId: parsed.data.operatorId });
  return { ok: true as const, form: "disable" };
}

export default function OperatorsPage() {
  const { operator, operators } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = failureOf(result);
  const t = useT();
  const busy = useBusy();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>{t("op.ops.title")}</h1>
      <FormAlert failure={failure} />
      {result?.ok ? <Notice testId="op-operators-done">{t(result.form === "add" ? "op.ops.added" : "op.ops.disabled")}</Notice> : null}
      <div className="table-wrap">
        <table className="table" data-testid="op-operators">
          <thead>
            <tr>
              <th scope="col">{t("op.login.email")}</th>
              <th scope="col">{t("op.setup.name")}</th>
              <th scope="col">{t("op.tenants.status")}</th>
              <th scope="col">{t("op.tenant.created")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("op.ops.disable")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {operators.map((o) => (
              <tr key={o.id} data-status={o.status}>
                <td>{o.email}</td>
                <td>{o.name}</td>
                <td>{t(`op.ops.status.${o.status}` as MessageKey)}</td>
                <td>
                  <DateTime value={o.createdAt} />
                </td>
                <td className="actions">
                  {o.id !== operator.id && o.status !== "disabled" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="disable" />
                      <input type="hidden" name="operatorId" value={o.id} />
                      <button type="submit" className="danger" disabled={busy}>
                        {t("op.ops.disable")}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" aria-labelledby="add-op-heading">
        <h2 id="add-op-heading">{t("op.ops.add")}</h2>
        <p className="muted">{t("op.ops.addLead")}</p>
        <Form method="post" className="stack" data-testid="op-add-form">
          <input type="hidden" name="intent" value="add" />
          <Field label={t("op.login.email")} name="email" type="email" failure={failure?.form === "add" ? failure : undefined} autoComplete="off" required />
          <Field label={t("op.setup.name")} name="name" failure={failure?.form === "add" ? failure : undefined} autoComplete="off" required />
          <Field
            label={t("op.ops.password")}
            name="password"
            type="password"
            failure={failure?.form === "add" ? failure : undefined}
            keep={false}
            autoComplete="new-password"
            required
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("op.ops.add")}
          </button>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
