/**
 * One tenant in the operator console: contract facts, daily usage, backup generations (restore),
 * termination, and after the purge its deletion certificate. Numbers and ids only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { runRestoreNow } from "~/.server/backups/backup-job.server";
import { listGenerations } from "~/.server/backups/generations.server";
import { fail } from "~/.server/http/errors.server";
import { parseFormData, parseParams, readFormData } from "~/.server/http/validation.server";
import { terminateTenant } from "~/.server/offboarding/terminate.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { getTenant } from "~/.server/tenants/tenants.server";
import { attempt, intentOf, validationFailure } from "~/.server/ui/forms.server";
import { tenantUsageHistory } from "~/.server/usage/snapshots.server";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import { Field, FormAlert, failureOf, Notice, useBusy } from "~/components/forms";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { RestoreFormSchema, TerminateFormSchema } from "~/schemas/forms/operator";

export const access = allow.operatorConsole();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Kura — ${data?.tenant.slug ?? ""} — 運営者 / Operator` },
  { name: "robots", content: "noindex" },
];

const ParamsSchema = z.object({ tenantId: z.string().regex(/^tnt_[a-z2-7]{26}$/) });

async function tenantOr404(context: { env: Parameters<typeof getTenant>[0] }, tenantId: string) {
  const tenant = await getTenant(context.env, tenantId);
  if (!tenant) fail("not_found", "No such tenant.");
  return tenant;
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const operator = operatorPrincipal(context);
  const { tenantId } = parseParams(params, ParamsSchema);
  const tenant = await tenantOr404(context, tenantId);
  const [generations, usage] = await Promise.all([listGenerations(context.env, tenantId), tenantUsageHistory(context.env, tenantId, 30)]);
  return { operator, tenant, generations: generations.map(({ generation, createdAt, bytes }) => ({ generation, createdAt, bytes })), usage: usage.days };
}

const INTENTS = { terminate: TerminateFormSchema, restore: RestoreFormSchema } as const;
/** The page's buttons (the authorization matrix has a row for each). */
export const intents = Object.keys(INTENTS) as (keyof typeof INTENTS)[];

export async function action({ request, params, context }: ActionFunctionArgs) {
  operatorPrincipal(context);
  const { tenantId } = parseParams(params, ParamsSchema);
  const tenant = await tenantOr404(context, tenantId);
  const formData = await readFormData(request);
  const chosen = intentOf(formData, INTENTS);
  if (!chosen) return validationFailure("op-tenant", [{ path: "", message: "v.required" }], formData);
  if (chosen.intent === "terminate") {
    const parsed = parseFormData(formData, TerminateFormSchema);
    if (!parsed.ok) return validationFailure("terminate", parsed.errors, formData);
    if (parsed.data.confirmSlug !== tenant.slug) return validationFailure("terminate", [{ path: "confirmSlug", message: "op.tenant.slugMismatch" }], formData);
    const result = await attempt("terminate", formData, async () => {
      const done = await terminateTenant(context.env, context.logger, tenantId);
      if (done === "purged" || done === null) fail("conflict", "The tenant is already purged.");
      return done;
    });
    if (!result.ok) return result;
    await recordOperatorAction(context, {
      action: "tenant.terminated",
      targetType: "tenant",
      targetId: tenantId,
      details: { purgeAfter: result.value.purgeAfter },
    });
    return { ok: true as const, form: "terminate", purgeAfter: result.value.purgeAfter, generation: null };
  }
  const parsed = parseFormData(formData, RestoreFormSchema);
  if (!parsed.ok) return validationFailure("restore", parsed.errors, formData);
  const result = await attempt("restore", formData, async () => {
    if (tenant.status !== "active") fail("conflict", "Only an active tenant can be restored.");
    const outcome = await runRestoreNow(context.env, tenantId, parsed.data.generation);
    if (outcome === null) fail("bad_request", "No such generation.");
    if (outcome === "busy") fail("conflict", "A backup of this tenant is running.");
    return outcome;
  });
  if (!result.ok) return result;
  await recordOperatorAction(context, { action: "tenant.restored", targetType: "tenant", targetId: tenantId, details: { generation: parsed.data.generation } });
  return { ok: true as const, form: "restore", purgeAfter: null, generation: parsed.data.generation };
}

export default function OperatorTenantPage() {
  const { operator, tenant, generations, usage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = failureOf(result);
  const t = useT();
  const locale = useLocale();
  const busy = useBusy();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>
        {tenant.name} <span className="muted">({tenant.slug})</span>
      </h1>
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
        ) : null}
      </section>
      <section className="card" aria-labelledby="usage-heading">
        <h2 id="usage-heading">{t("op.tenant.usageHistory")}</h2>
        <ul className="plain-list">
          {usage.map((d) => (
            <li key={d.day}>
              {d.day}: {formatBytes(d.bytes, locale)} · {d.assets.toLocaleString(locale)}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="backups-heading">
        <h2 id="backups-heading">{t("op.tenant.backups")}</h2>
        {result?.ok && result.form === "restore" ? (
          <Notice testId="op-restored">{t("op.tenant.restored", { generation: result.generation ?? "" })}</Notice>
        ) : null}
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
      {tenant.status === "active" ? (
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
      ) : result?.ok && result.form === "terminate" ? (
        <Notice testId="op-terminated">{t("op.tenant.terminated", { time: result.purgeAfter ?? "" })}</Notice>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
