import { Form } from "@remix-run/react";
import type { FormFailure } from "~/components/form-types";
import { Field, FormAlert, Notice, useBusy } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import type { Done } from "./actions.server";
import type { TenantPageData } from "./route";

/** Ending the contract, with the slug typed again; afterwards, when the purge may start. */
export function TerminatePanel({ data, done, failure }: { data: TenantPageData; done: Done | null; failure: FormFailure | undefined }) {
  const t = useT();
  const busy = useBusy();
  if (done?.form === "terminate") return <Notice testId="op-terminated">{t("op.tenant.terminated", { time: done.purgeAfter ?? "" })}</Notice>;
  if (data.tenant.status !== "active") return null;
  return (
    <section className="card danger-zone" aria-labelledby="terminate-heading">
      <h2 id="terminate-heading">{t("op.tenant.terminate")}</h2>
      <p className="muted">{t("op.tenant.terminateLead")}</p>
      {failure?.form === "terminate" ? <FormAlert failure={failure} /> : null}
      <Form method="post" className="stack" data-testid="op-terminate-form">
        <input type="hidden" name="intent" value="terminate" />
        <Field
          label={t("op.tenant.confirmSlug")}
          name="confirmSlug"
          failure={failure?.form === "terminate" ? failure : undefined}
          autoComplete="off"
          required
        />
        <button type="submit" className="danger" disabled={busy}>
          {t("op.tenant.terminate")}
        </button>
      </Form>
    </section>
  );
}
