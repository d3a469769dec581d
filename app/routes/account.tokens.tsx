import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { data } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { createApiToken, deleteApiToken, listApiTokens } from "~/.server/identity/accounts.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { Field, FieldErrorText, FormAlert, failureOf, Notice, useBusy, useFormResult } from "~/components/forms";
import { AccountNav } from "~/components/subnav";
import { DateTime } from "~/components/date-time";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { ApiTokenCreateFormSchema, ApiTokenDeleteFormSchema, TOKEN_LIFETIMES } from "~/schemas/forms/account";

export const access = allow.tenantUser();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["create", "delete"] as const;

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "tokens.title");

export async function loader({ context }: LoaderFunctionArgs) {
  return { tokens: await listApiTokens(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  if (formData.get("intent") === "delete") {
    const parsed = parseFormData(formData, ApiTokenDeleteFormSchema);
    if (!parsed.ok) return validationFailure("delete", parsed.errors, formData);
    const result = await attempt("delete", formData, () => deleteApiToken(context, parsed.data.id));
    if (!result.ok) return result;
    return { ok: true as const, form: "delete" };
  }
  const parsed = parseFormData(formData, ApiTokenCreateFormSchema);
  if (!parsed.ok) return validationFailure("create", parsed.errors, formData);
  const result = await attempt("create", formData, () => createApiToken(context, parsed.data));
  if (!result.ok) return result;
  // The token is shown once, in this response only.
  return data(
    { ok: true as const, form: "create", token: result.value.token, name: result.value.name, expiresAt: result.value.expiresAt },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function TokensPage() {
  const t = useT();
  const { tokens } = useLoaderData<typeof loader>();
  const created = useFormResult<{ ok: true; form: string; token: string; name: string; expiresAt: string }>("create");
  const deleted = useFormResult("delete");
  const busy = useBusy("create");
  const createFailure = failureOf(created);
  return (
    <>
      <h1>{t("tokens.title")}</h1>
      <AccountNav />
      <section className="card" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">{t("tokens.create")}</h2>
        <p className="muted">{t("tokens.lead")}</p>
        {created?.ok ? (
          <div className="alert alert-ok" role="status">
            <p>{t("tokens.createdOnce", { name: created.name })}</p>
            <code className="secret" data-testid="new-token">
              {created.token}
            </code>
          </div>
        ) : null}
        <FormAlert failure={createFailure} />
        <Form method="post" className="inline-form" key={created?.ok ? created.token : "new"}>
          <input type="hidden" name="intent" value="create" />
          <Field label={t("tokens.name")} name="name" failure={createFailure} maxLength={100} required />
          <div className="field">
            <label htmlFor="token-lifetime">{t("tokens.lifetime")}</label>
            <select id="token-lifetime" name="expiresInDays" defaultValue="90">
              {TOKEN_LIFETIMES.map((d) => (
                <option key={d} value={d}>
                  {t("tokens.days", { days: d })}
                </option>
              ))}
            </select>
            <FieldErrorText failure={createFailure} name="expiresInDays" />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t("tokens.createButton")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t("tokens.list")}</h2>
        {deleted?.ok ? <Notice>{t("tokens.deleted")}</Notice> : null}
        <FormAlert failure={failureOf(deleted)} />
        {tokens.length === 0 ? (
          <p className="muted">{t("tokens.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("tokens.name")}</th>
                  <th scope="col">{t("tokens.createdAt")}</th>
                  <th scope="col">{t("tokens.expiresAt")}</th>
                  <th scope="col">{t("tokens.lastUsedAt")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("common.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((tok) => (
                  <TokenRow key={tok.id} token={tok} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

type Token = ReturnType<typeof useLoaderData<typeof loader>>["tokens"][number];

/** One token: its name, when it was made, when it expires and was last used, and a delete button. */
function TokenRow({ token: tok }: { token: Token }) {
  const t = useT();
  return (
    <tr data-testid="token-row">
      <td>{tok.name}</td>
      <td>
        <DateTime value={tok.createdAt} />
      </td>
      <td>
        <DateTime value={tok.expiresAt} />
      </td>
      <td>
        <DateTime value={tok.lastUsedAt} />
      </td>
      <td>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={tok.id} />
          <button type="submit" className="danger">
            {t("common.deleteNow")}
          </button>
        </Form>
      </td>
    </tr>
  );
}
