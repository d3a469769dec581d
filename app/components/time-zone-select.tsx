import type { FormFailure } from "./form-types";
import { FieldErrorText } from "./forms";
import { useT } from "~/i18n/use-t";

/**
 * A time-zone setting (ADR 0023): the account page (the user's own zone) and
 * the security page (the tenant's default). The zones come from the loader,
 * so the server's and the browser's Intl data cannot disagree at hydration.
 * The first option, "", stores no zone: the next rule decides.
 */
export function TimeZoneSelect(p: { id: string; zones: readonly string[]; value: string | null; defaultLabel: string; failure: FormFailure | undefined }) {
  const t = useT();
  const kept = p.failure?.values.timeZone;
  return (
    <div className="field">
      <label htmlFor={p.id}>{t("time.zone")}</label>
      <select id={p.id} name="timeZone" defaultValue={kept ?? p.value ?? ""} aria-describedby={`${p.id}-hint`}>
        <option value="">{p.defaultLabel}</option>
        {p.zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
      <small id={`${p.id}-hint`} className="muted">
        {t("time.zone.hint")}
      </small>
      <FieldErrorText failure={p.failure} name="timeZone" />
    </div>
  );
}
