/**
 * Typed metadata input: one input per field type, named so that
 * metadataValueOf (app/schemas/forms/assets.ts) reads it back. Used by the
 * asset page's metadata form (`metadata.<key>`) and the browse page's bulk
 * bar (`value`).
 */
import { useEffect, useRef, useState } from "react";
import { useUiText } from "~/components/forms";
import type { FormFailure } from "~/components/form-types";
import { useT } from "~/i18n/use-t";
import { fieldTypeLabel, type MetadataFieldDef } from "./field-types";

type Props = {
  field: MetadataFieldDef;
  /** The form name of the value (and the key of its error in `failure`). */
  name: string;
  id: string;
  /** The stored value (undefined or null: none). */
  value: unknown;
  failure: FormFailure | undefined;
  /** Hide the visible label (the bulk bar labels the field picker instead). */
  labelHidden?: boolean;
};

export function MetadataInput({ field, name, id, value, failure, labelHidden }: Props) {
  const t = useT();
  const errorId = `${id}-error`;
  const error = failure?.error.fields[name];
  const kept = failure ? failure.values[name] : undefined;
  const common = {
    id,
    name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    "data-testid": `input-${field.key}`,
  } as const;
  const stored = value === undefined || value === null ? "" : Array.isArray(value) ? value.join(",") : String(value);
  const initial = kept ?? stored;
  const errorText = error ? <DescribedFieldError id={errorId} name={name} failure={failure} /> : null;
  if (field.type === "multiselect") {
    const chosen = new Set(kept !== undefined ? kept.split(",") : Array.isArray(value) ? (value as string[]) : []);
    return (
      <fieldset className="field checks" aria-describedby={error ? errorId : undefined} data-testid={`input-${field.key}`}>
        <legend className={labelHidden ? "visually-hidden" : undefined}>{field.label}</legend>
        <input type="hidden" name={`${name}.present`} value="1" />
        {(field.options ?? []).map((o) => (
          <label key={o} className="check">
            <input type="checkbox" name={name} value={o} defaultChecked={chosen.has(o)} /> {o}
          </label>
        ))}
        {errorText}
      </fieldset>
    );
  }
  if (field.type === "boolean") {
    return (
      <div className="field">
        <input type="hidden" name={`${name}.present`} value="1" />
        <label className="check" htmlFor={id}>
          <input {...common} type="checkbox" defaultChecked={kept !== undefined ? kept === "on" : value === true} /> {field.label}
        </label>
        {errorText}
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id} className={labelHidden ? "visually-hidden" : undefined}>
        {field.label} <span className="muted small">({fieldTypeLabel(t, field.type)})</span>
      </label>
      <TypedControl field={field} common={common} initial={initial} stored={value} kept={kept} name={name} />
      {field.type === "datetime" ? <small className="muted">{t("asset.timezoneHint")}</small> : null}
      {errorText}
    </div>
  );
}

type Common = Record<string, unknown> & { id: string; name: string };

function TypedControl({
  field,
  common,
  initial,
  stored,
  kept,
  name,
}: {
  field: MetadataFieldDef;
  common: Common;
  initial: string;
  stored: unknown;
  kept: string | undefined;
  name: string;
}) {
  switch (field.type) {
    case "textarea":
      return <textarea {...common} defaultValue={initial} maxLength={10_000} rows={4} />;
    case "number":
      return <input {...common} type="number" step="any" inputMode="decimal" defaultValue={initial} />;
    case "date":
      return <input {...common} type="date" defaultValue={initial} />;
    case "datetime":
      return <DateTimeInput common={common} name={name} stored={typeof stored === "string" ? stored : ""} kept={kept} />;
    case "url":
      return <input {...common} type="url" defaultValue={initial} maxLength={2000} />;
    case "email":
      return <input {...common} type="email" defaultValue={initial} maxLength={254} />;
    case "select":
      return (
        <select {...common} defaultValue={initial}>
          <option value="">—</option>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          {initial && !(field.options ?? []).includes(initial) ? <option value={initial}>{initial}</option> : null}
        </select>
      );
    default:
      return <input {...common} type="text" defaultValue={initial} maxLength={1000} />;
  }
}

/** A field's error with an id, for aria-describedby. */
export function DescribedFieldError({ id, name, failure }: { id: string; name: string; failure: FormFailure | undefined }) {
  const text = useUiText();
  const error = failure?.error.fields[name];
  if (!error) return null;
  return (
    <small id={id} className="field-error" data-testid={`error-${name}`}>
      {text(error)}
    </small>
  );
}

/** "+09:00" for a local date-time in this browser's time zone (DST-aware). */
function offsetOf(local: string): string {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return "Z";
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * datetime-local with its offset: the server renders UTC (it does not know
 * the browser's zone); once hydrated the value is shown in local time and
 * the offset for the chosen moment travels in `<name>.offset`.
 */
function DateTimeInput({ common, name, stored, kept }: { common: Common; name: string; stored: string; kept: string | undefined }) {
  const ref = useRef<HTMLInputElement>(null);
  const [offset, setOffset] = useState("Z");
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (kept === undefined && stored) el.value = toLocalInput(stored);
    setOffset(el.value ? offsetOf(el.value) : offsetOf(new Date().toISOString().slice(0, 16)));
  }, [stored, kept]);
  const initial = kept ?? (stored ? stored.slice(0, 16) : "");
  return (
    <>
      <input ref={ref} {...common} type="datetime-local" defaultValue={initial} onChange={(e) => setOffset(offsetOf(e.currentTarget.value))} />
      <input type="hidden" name={`${name}.offset`} value={offset} />
    </>
  );
}
