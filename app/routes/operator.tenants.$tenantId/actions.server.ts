import { moveTenant, runRestoreNow } from "~/.server/backups/backup-job.server";
import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData } from "~/.server/http/validation.server";
import { terminateTenant } from "~/.server/offboarding/terminate.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { updateTenantContract } from "~/.server/tenants/tenants.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import type { TenantDetail } from "~/schemas/tenant";
import { ContractFormSchema, MoveFormSchema, RestoreFormSchema, TerminateFormSchema } from "~/schemas/forms/operator";

/**
 * The console tenant page's buttons. Each calls the same domain function as the operator API and
 * records the same operator-log entry; what a button answers is `{ok, form, …}` or a FormFailure.
 */
export type Done = { ok: true; form: string; purgeAfter?: string; generation?: string; shard?: string };

export async function terminate(context: KuraContext, tenant: TenantDetail, formData: FormData) {
  const parsed = parseFormData(formData, TerminateFormSchema);
  if (!parsed.ok) return validationFailure("terminate", parsed.errors, formData);
  if (parsed.data.confirmSlug !== tenant.slug) return validationFailure("terminate", [{ path: "confirmSlug", message: "op.tenant.slugMismatch" }], formData);
  const result = await attempt("terminate", formData, async () => {
    const done = await terminateTenant(context.env, context.logger, tenant.id);
    if (done === "purged" || done === null) fail("conflict", "The tenant is already purged.");
    return done;
  });
  if (!result.ok) return result;
  const { purgeAfter } = result.value;
  await recordOperatorAction(context, { action: "tenant.terminated", targetType: "tenant", targetId: tenant.id, details: { purgeAfter } });
  return { ok: true, form: "terminate", purgeAfter } satisfies Done;
}

export async function restore(context: KuraContext, tenant: TenantDetail, formData: FormData) {
  const parsed = parseFormData(formData, RestoreFormSchema);
  if (!parsed.ok) return validationFailure("restore", parsed.errors, formData);
  const { generation } = parsed.data;
  const result = await attempt("restore", formData, async () => {
    if (tenant.status !== "active") fail("conflict", "Only an active tenant can be restored.");
    const outcome = await runRestoreNow(context.env, tenant.id, generation);
    if (outcome === null) fail("bad_request", "No such generation.");
    if (outcome === "busy") fail("conflict", "Another job of this tenant is running.");
    if (outcome === "failed") fail("service_unavailable", "The restore failed.");
    return outcome;
  });
  if (!result.ok) return result;
  await recordOperatorAction(context, { action: "tenant.restored", targetType: "tenant", targetId: tenant.id, details: { generation } });
  return { ok: true, form: "restore", generation } satisfies Done;
}

export async function contract(context: KuraContext, tenant: TenantDetail, formData: FormData) {
  const parsed = parseFormData(formData, ContractFormSchema);
  if (!parsed.ok) return validationFailure("contract", parsed.errors, formData);
  const result = await attempt("contract", formData, () => updateTenantContract(context, tenant.id, parsed.data));
  if (!result.ok) return result;
  return { ok: true, form: "contract" } satisfies Done;
}

export async function move(context: KuraContext, tenant: TenantDetail, formData: FormData) {
  const parsed = parseFormData(formData, MoveFormSchema);
  if (!parsed.ok) return validationFailure("move", parsed.errors, formData);
  const { shard } = parsed.data;
  const result = await attempt("move", formData, () => moveTenant(context, tenant.id, shard));
  if (!result.ok) return result;
  return { ok: true, form: "move", shard } satisfies Done;
}
