import { Form } from "@remix-run/react";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import type { FormFailure } from "~/components/form-types";
import { Field, FormAlert, useBusy } from "~/components/forms";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-t";
import type { TenantPageData } from "./route";

/** The contract: its facts, the quota and admin contact to edit, the shard and moving it elsewhere. */
export function ContractPanel({ data, failure }: { data: TenantPageData; failure: FormFailure | undefined }) {
  const { tenant } = data;
  const t = useT();
  const locale = useLocale();
  const busy = useBusy();
  const active = tenant.status === "active";
  const otherShards = data.shards.filter((s) => s !== tenant.shard);
  return (
    <section className="card" aria-labelledby="contract-heading">
      <h2 id="contract-heading">{t("op.tenant.contract")}</h2>
      <dl className="facts" data-testid="op-contract">
        <dt>{t("op.tenants.status")}</dt>
        <dd data-status={tenant.status}>{t(`op.status.${tenant.status}` as MessageKey)}</dd>
        <dt>{t("op.tenant.created")}</dt>
        <dd>
          <DateTime value={tenant.createdAt} />
        </dd>
        <dt>{t("op.tenants.usage")}</dt>
        <dd>
          {formatBytes(tenant.usage.bytes, locale)} / {formatBytes(tenant.storageQuotaBytes, locale)}
        </dd>
        <dt>{t("op.tenant.shard")}</dt>
        <dd data-testid="op-shard">
          <code>{tenant.shard}</code>
          {tenant.movingTo ? ` → ${t("op.tenant.moving", { shard: tenant.movingTo })}` : ""}
        </dd>
        {tenant.terminatedAt ? (
          <>
            <dt>{t("op.tenant.terminatedAt")}</dt>
            <dd>
              <DateTime value={tenant.terminatedAt} />
            </dd>
            <dt>{t("op.tenant.purgeAfter")}</dt>
            <dd>
              <DateTime value={tenant.purgeAfter} />
            </dd>
          </>
        ) : null}
        {tenant.purgedAt ? (
          <>
            <dt>{t("op.tenant.purgedAt")}</dt>
            <dd>
              <DateTime value={tenant.purgedAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {tenant.status === "purged" ? (
        <p>
          <a href={`/operator/tenants/${tenant.id}/certificate`} download data-testid="op-certificate">
            {t("op.tenant.certificate")}
          </a>
        </p>
      ) : (
        <Form method="post" className="stack" data-testid="op-contract-form">
          <input type="hidden" name="intent" value="contract" />
          {failure?.form === "contract" ? <FormAlert failure={failure} /> : null}
          <Field
            label={t("op.tenant.quotaGb")}
            name="quotaGb"
            inputMode="decimal"
            defaultValue={String(tenant.storageQuotaBytes / 1e9)}
            failure={failure?.form === "contract" ? failure : undefined}
            required
          />
          <Field
            label={t("op.tenant.adminEmail")}
            name="adminEmail"
            type="email"
            defaultValue={data.adminEmail ?? ""}
            failure={failure?.form === "contract" ? failure : undefined}
            autoComplete="off"
            required
          />
          <button type="submit" disabled={busy}>
            {t("op.tenant.saveContract")}
          </button>
        </Form>
      )}
      {active ? (
        <>
          <h3>{t("op.tenant.move")}</h3>
          <p className="muted">{t("op.tenant.moveLead")}</p>
          {failure?.form === "move" ? <FormAlert failure={failure} /> : null}
          {otherShards.length === 0 ? (
            <p className="muted">{t("op.tenant.noOtherShard")}</p>
          ) : (
            <Form method="post" className="inline-form" data-testid="op-move-form">
              <input type="hidden" name="intent" value="move" />
              <label htmlFor="op-move-shard">{t("op.tenant.moveTo")}</label>
              <select id="op-move-shard" name="shard" required defaultValue={otherShards[0]}>
                {otherShards.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <button type="submit" disabled={busy}>
                {t("op.tenant.moveSubmit")}
              </button>
            </Form>
          )}
        </>
      ) : null}
    </section>
  );
}
