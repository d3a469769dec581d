import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { getTenantSettings, updateTenantSettings } from "~/.server/tenants/settings.server";
import { attempt, validationFailure, type UiText } from "~/.server/ui/forms.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { FieldErrorText, FormAlert, failureOf, Notice, useBusy, useFormResult, useUiText } from "~/components/forms";
import { AdminNav } from "~/components/subnav";
import { TimeZoneSelect } from "~/components/time-zone-select";
import { TOTP_ENROLLMENT_PATH } from "~/.server/policy/guard.server";
import { titleFor } from "~/i18n/meta";
import { supportedTimeZones } from "~/i18n/time-zone";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { SecuritySettingsFormSchema, TenantTimeZoneFormSchema } from "~/schemas/forms/admin";

/**
 * Open to an admin who must still enrol (ADR 0024): turning "require 2FA" on
 * leaves its admin here with a prompt to enrol, and the setting can always
 * be seen and changed back. Everything else waits for enrolment.
 */
export const access = allow.tenantAdmin({ duringTotpEnrollment: true });

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "admin.security.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const settings = await getTenantSettings(context);
  const mustEnroll = tenantPrincipal(context).mustEnrollTotp;
  return {
    require2fa: settings.require2fa,
    ipAllowlist: settings.ipAllowlist,
    clientIp: context.clientIp,
    timeZone: settings.timeZone,
    zones: [...supportedTimeZones()],
    mustEnroll,
    enrolPath: TOTP_ENROLLMENT_PATH,
  };
}

/** The admin's own account lacks the 2FA the tenant now requires: enrol now, from here. */
function EnrolPrompt({ href }: { href: string }) {
  const t = useT();
  return (
    <div className="alert alert-warn" role="status" data-testid="enrol-prompt">
      <p>{t("admin.security.enrolPrompt")}</p>
      <p>
        <Link to={href} className="button-link">
          {t("admin.security.enrolLink")}
        </Link>
      </p>
    </div>
  );
}

/** One CIDR (or address) per line; blank lines and `#` comments are ignored. */
function allowlistLines(text: string): { line: number; value: string }[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, value: raw.replace(/#.*$/, "").trim() }))
    .filter((l) => l.value.length > 0);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  if (formData.get("intent") === "timeZone") return saveTenantTimeZone(context, formData);
  const parsed = parseFormData(formData, SecuritySettingsFormSchema);
  if (!parsed.ok) return validationFailure("settings", parsed.errors, formData);
  const lines = allowlistLines(parsed.data.ipAllowlist);
  const result = await attempt("settings", formData, () =>
    updateTenantSettings(context, { require2fa: parsed.data.require2fa, ipAllowlist: lines.map((l) => l.value) }),
  );
  if (!result.ok) {
    // The domain names entries by index (ipAllowlist.3); the admin thinks in lines.
    const lineErrors: { line: number; value: string; message: UiText }[] = [];
    for (const [path, message] of Object.entries(result.error.fields)) {
      const m = /^ipAllowlist\.(\d+)$/.exec(path);
      const entry = m ? lines[Number(m[1])] : undefined;
      if (entry) lineErrors.push({ line: entry.line, value: entry.value, message });
    }
    return { ...result, lineErrors };
  }
  return { ok: true as const, form: "settings" };
}

/** The tenant's default time zone: its own small form, saved apart from the access rules. */
async function saveTenantTimeZone(context: ActionFunctionArgs["context"], formData: FormData) {
  const parsed = parseFormData(formData, TenantTimeZoneFormSchema);
  if (!parsed.ok) return validationFailure("timeZone", parsed.errors, formData);
  const result = await attempt("timeZone", formData, () => updateTenantSettings(context, { timeZone: parsed.data.timeZone }));
  return result.ok ? { ok: true as const, form: "timeZone" } : result;
}

export default function AdminSecurityPage() {
  const t = useT();
  const text = useUiText();
  const settings = useLoaderData<typeof loader>();
  const result = useFormResult<{ ok: true; form: string }>("settings");
  const failure = failureOf(result);
  const lineErrors = (failure as { lineErrors?: { line: number; value: string; message: UiText }[] } | undefined)?.lineErrors ?? [];
  const busy = useBusy();
  return (
    <>
      <h1>{t("admin.security.title")}</h1>
      {/* The other admin pages would only send the admin to enrolment. */}
      {settings.mustEnroll ? <EnrolPrompt href={settings.enrolPath} /> : <AdminNav />}
      <section className="card" aria-labelledby="security-heading">
        <h2 id="security-heading" className="visually-hidden">
          {t("admin.security.title")}
        </h2>
        {result?.ok ? <Notice testId="settings-saved">{t("common.saved")}</Notice> : null}
        <FormAlert failure={failure} />
        {lineErrors.length > 0 ? (
          <ul className="field-error" data-testid="allowlist-errors">
            {lineErrors.map((e) => (
              <li key={e.line}>{t("admin.security.lineError", { line: e.line, value: e.value, message: text(e.message) })}</li>
            ))}
          </ul>
        ) : null}
        {/* Keyed by the stored values too: the action's result can arrive before the revalidated
            settings, and a box mounted with the old value would not follow its new default. */}
        <Form method="post" className="stack" key={`${result?.ok ? "saved" : "form"}:${settings.require2fa}:${settings.ipAllowlist.join(",")}`}>
          <label className="check">
            <input type="checkbox" name="require2fa" defaultChecked={failure ? failure.values.require2fa === "on" : settings.require2fa} />
            <span>{t("admin.security.require2fa")}</span>
          </label>
          <p className="muted">{t("admin.security.require2faHelp")}</p>
          <div className="field">
            <label htmlFor="ip-allowlist">{t("admin.security.allowlist")}</label>
            <textarea
              id="ip-allowlist"
              name="ipAllowlist"
              rows={8}
              spellCheck={false}
              defaultValue={failure ? (failure.values.ipAllowlist ?? "") : settings.ipAllowlist.join("\n")}
              aria-describedby="ip-allowlist-hint"
              placeholder={"203.0.113.0/24\n2001:db8::/32"}
            />
            <small id="ip-allowlist-hint" className="muted">
              {t("admin.security.allowlistHint", { ip: settings.clientIp ?? t("admin.security.unknownIp") })}
            </small>
            <FieldErrorText failure={failure} name="ipAllowlist" />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t("common.save")}
          </button>
        </Form>
      </section>
      <TenantTimeZoneCard zones={settings.zones} value={settings.timeZone} />
    </>
  );
}

function TenantTimeZoneCard({ zones, value }: { zones: string[]; value: string | null }) {
  const t = useT();
  const result = useFormResult<{ ok: true; form: string }>("timeZone");
  const failure = failureOf(result);
  const busy = useBusy("timeZone");
  return (
    <section className="card" aria-labelledby="time-zone-heading">
      <h2 id="time-zone-heading">{t("time.zone")}</h2>
      <p className="muted">{t("time.zone.tenantHint")}</p>
      {result?.ok ? <Notice testId="time-zone-saved">{t("common.saved")}</Notice> : null}
      <FormAlert failure={failure} />
      <Form method="post" className="stack" data-testid="tenant-time-zone-form">
        <input type="hidden" name="intent" value="timeZone" />
        <TimeZoneSelect id="tenant-time-zone" zones={zones} value={value} defaultLabel={t("time.zone.automatic")} failure={failure} />
        <button type="submit" disabled={busy}>
          {t("common.save")}
        </button>
      </Form>
    </section>
  );
}
