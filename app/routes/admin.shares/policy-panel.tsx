import { Form } from "@remix-run/react";
import { Field, FormAlert, failureOf, Notice, useBusy, useFormResult } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { SHARE_LIMITS, type SharePolicy } from "~/schemas/review";

/**
 * The tenant's share policy (issue #14): default and longest expiry, password required, links for
 * anyone, downloads; each with a lock (the longest expiry always holds). Saved through the same
 * domain function as PATCH /tenant/settings.
 */
export function SharePolicyPanel({ policy }: { policy: SharePolicy }) {
  const t = useT();
  const result = useFormResult("policy");
  const failure = failureOf(result);
  const busy = useBusy("policy");
  const kept = failure?.values;
  const on = (name: string, stored: boolean) => (kept ? kept[name] === "on" : stored);
  const lock = (name: string, stored: boolean, label = t("adminShares.lock")) => (
    <label className="check share-lock">
      <input type="checkbox" name={name} defaultChecked={on(name, stored)} data-testid={`policy-${name}`} />
      <span>{label}</span>
    </label>
  );
  const toggle = (name: keyof Pick<SharePolicy, "passwordRequired" | "anonymousLinks" | "downloads">, label: string, lockName: string, locked: boolean) => (
    <div className="policy-row">
      <label className="check">
        <input type="checkbox" name={name} defaultChecked={on(name, policy[name])} data-testid={`policy-${name}`} />
        <span>{label}</span>
      </label>
      {lock(lockName, locked)}
    </div>
  );
  const days = (name: "defaultExpiryDays" | "maxExpiryDays", label: string, hint?: string) => (
    <Field
      label={label}
      name={name}
      id={`policy-${name}`}
      type="number"
      inputMode="numeric"
      min={1}
      max={SHARE_LIMITS.maxExpiryDays}
      required
      defaultValue={policy[name]}
      failure={failure}
      {...(hint ? { hint } : {})}
    />
  );
  return (
    <section className="card" aria-labelledby="share-policy-heading" data-testid="share-policy">
      <h2 id="share-policy-heading">{t("adminShares.policy")}</h2>
      <p className="muted">{t("adminShares.policyLead")}</p>
      {result?.ok ? <Notice testId="policy-saved">{t("adminShares.saved")}</Notice> : null}
      <FormAlert failure={failure} />
      <Form method="post" className="share-policy-form" key={result?.ok ? JSON.stringify(policy) : "policy"}>
        <input type="hidden" name="intent" value="policy" />
        <div className="policy-row">
          {days("defaultExpiryDays", t("adminShares.defaultExpiry"), t("adminShares.defaultExpiryLock"))}
          {lock("lockExpiry", policy.locked.expiry)}
        </div>
        <div className="policy-row">
          {days("maxExpiryDays", t("adminShares.maxExpiry"))}
          <label className="check share-lock">
            <input type="checkbox" checked disabled />
            <span>{t("adminShares.maxAlways")}</span>
          </label>
        </div>
        {toggle("passwordRequired", t("adminShares.passwordRequired"), "lockPassword", policy.locked.password)}
        {toggle("anonymousLinks", t("adminShares.anonymousLinks"), "lockAnonymousLinks", policy.locked.anonymousLinks)}
        {toggle("downloads", t("adminShares.downloads"), "lockDownloads", policy.locked.downloads)}
        <p>
          <button type="submit" className="primary" disabled={busy} data-testid="policy-save">
            {t("common.save")}
          </button>
        </p>
      </Form>
    </section>
  );
}
