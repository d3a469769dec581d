import { Form } from "@remix-run/react";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import type { FormFailure } from "~/components/form-types";
import { FormAlert, Notice, useBusy } from "~/components/forms";
import { useLocale, useT } from "~/i18n/use-t";
import type { Done } from "./actions.server";
import type { TenantPageData } from "./route";

/** The kept backup generations, each restorable while the tenant is active. */
export function BackupsPanel({ data, done, failure }: { data: TenantPageData; done: Done | null; failure: FormFailure | undefined }) {
  const { tenant, generations } = data;
  const t = useT();
  const locale = useLocale();
  const busy = useBusy();
  return (
    <section className="card" aria-labelledby="backups-heading">
      <h2 id="backups-heading">{t("op.tenant.backups")}</h2>
      {done?.form === "restore" ? <Notice testId="op-restored">{t("op.tenant.restored", { generation: done.generation ?? "" })}</Notice> : null}
      {failure?.form === "restore" ? <FormAlert failure={failure} /> : null}
      {generations.length === 0 ? (
        <p className="muted">{t("op.tenant.noBackups")}</p>
      ) : (
        <ul className="plain-list" data-testid="op-backups">
          {generations.map((g) => (
            <li key={g.generation}>
              {g.generation} · <DateTime value={g.createdAt} /> · {formatBytes(g.bytes, locale)}{" "}
              {tenant.status === "active" ? (
                <Form method="post" className="inline-form compact">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="generation" value={g.generation} />
                  <button type="submit" disabled={busy}>
                    {t("op.tenant.restore")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
