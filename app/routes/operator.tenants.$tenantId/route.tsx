/**
 * One tenant in the operator console: contract facts and their editing (quota, admin contact),
 * the shard and moving it, daily usage, backup generations (restore), termination, and after the
 * purge its deletion certificate. Numbers, ids and the admin contact only: never content.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listGenerations } from "~/.server/backups/generations.server";
import { fail } from "~/.server/http/errors.server";
import { parseParams, readFormData } from "~/.server/http/validation.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { getTenant, shardKeys, tenantAdminContact } from "~/.server/tenants/tenants.server";
import { intentOf, validationFailure } from "~/.server/ui/forms.server";
import { tenantUsageHistory } from "~/.server/usage/snapshots.server";
import { formatBytes } from "~/components/assets/format";
import { failureOf, Notice } from "~/components/forms";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import { useLocale, useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { contract, move, restore, terminate, type Done } from "./actions.server";
import { INTENTS } from "./intents";
import { BackupsPanel } from "./backups-panel";
import { ContractPanel } from "./contract-panel";
import { TerminatePanel } from "./terminate-panel";

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
  const [generations, usage, shards, adminEmail] = await Promise.all([
    listGenerations(context.env, tenantId),
    tenantUsageHistory(context.env, tenantId, 30),
    shardKeys(context.env),
    tenantAdminContact(context.env, tenantId),
  ]);
  return {
    operator,
    tenant,
    adminEmail,
    shards,
    generations: generations.map(({ generation, createdAt, bytes }) => ({ generation, createdAt, bytes })),
    usage: usage.days,
  };
}

export type TenantPageData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The page's buttons (the authorization matrix has a row for each). */
export const intents = Object.keys(INTENTS) as (keyof typeof INTENTS)[];

export async function action({ request, params, context }: ActionFunctionArgs) {
  operatorPrincipal(context);
  const { tenantId } = parseParams(params, ParamsSchema);
  const tenant = await tenantOr404(context, tenantId);
  const formData = await readFormData(request);
  const chosen = intentOf(formData, INTENTS);
  if (!chosen) return validationFailure("op-tenant", [{ path: "", message: "v.required" }], formData);
  const handlers = { terminate, restore, contract, move } as const;
  return handlers[chosen.intent](context, tenant, formData);
}

export default function OperatorTenantPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = failureOf(result);
  const t = useT();
  const locale = useLocale();
  const done = result && result.ok ? (result as Done) : null;
  return (
    <>
      <ConsoleNav email={data.operator.email} />
      <h1>
        {data.tenant.name} <span className="muted">({data.tenant.slug})</span>
      </h1>
      {done?.form === "contract" ? <Notice testId="op-contract-saved">{t("op.tenant.contractSaved")}</Notice> : null}
      {done?.form === "move" ? <Notice testId="op-moved">{t("op.tenant.moved", { shard: done.shard ?? "" })}</Notice> : null}
      <ContractPanel data={data} failure={failure} />
      <section className="card" aria-labelledby="usage-heading">
        <h2 id="usage-heading">{t("op.tenant.usageHistory")}</h2>
        {data.usage.length === 0 ? <p className="muted">{t("op.tenant.noUsageYet")}</p> : null}
        <ul className="plain-list">
          {data.usage.map((d) => (
            <li key={d.day}>
              {d.day}: {formatBytes(d.bytes, locale)} · {d.assets.toLocaleString(locale)}
            </li>
          ))}
        </ul>
      </section>
      <BackupsPanel data={data} done={done} failure={failure} />
      <TerminatePanel data={data} done={done} failure={failure} />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
