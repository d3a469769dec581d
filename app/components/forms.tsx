import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type InputHTMLAttributes, type ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import type { FormFailure, UiText } from "./form-types";

export function useUiText(): (text: UiText | undefined) => string {
  const t = useT();
  return (text) => (!text ? "" : "key" in text ? t(text.key, text.params) : text.text);
}

type AnyResult = { ok: boolean; form?: string } & Record<string, unknown>;

/** The action result when it belongs to `form` (pages have several forms). */
export function useFormResult<T extends AnyResult = AnyResult>(form: string): T | FormFailure | undefined {
  const data = useActionData() as AnyResult | undefined;
  return data && data.form === form ? (data as T | FormFailure) : undefined;
}

export function failureOf(result: unknown): FormFailure | undefined {
  return result && typeof result === "object" && (result as { ok?: unknown }).ok === false ? (result as FormFailure) : undefined;
}

export function useBusy(intent?: string): boolean {
  const nav = useNavigation();
  if (nav.state !== "submitting") return false;
  return intent === undefined || nav.formData?.get("intent") === intent;
}

/** The form-level error, announced to screen readers. */
export function FormAlert({ failure }: { failure: FormFailure | undefined }) {
  const text = useUiText();
  if (!failure) return null;
  return (
    <p className="alert alert-error" role="alert" data-testid="form-error" data-code={failure.error.code}>
      {text(failure.error.message)}
    </p>
  );
}

export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="alert alert-ok" role="status" data-testid={testId ?? "form-notice"}>
      {children}
    </p>
  );
}

type FieldProps = {
  label: string;
  name: string;
  failure?: FormFailure | undefined;
  hint?: string;
  /** Refill from the failed submission unless the field is secret. */
  keep?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name">;

/** A labelled input with its error message wired up for assistive technology. */
export function Field({ label, name, failure, hint, keep = true, id, defaultValue, ...input }: FieldProps) {
  const text = useUiText();
  const fieldId = id ?? `f-${name}`;
  const error = failure?.error.fields[name];
  const kept = keep && failure ? failure.values[name] : undefined;
  const ref = useRef<HTMLInputElement>(null);
  // Secrets are never refilled: after a failed submission the field is empty
  // again, also when the browser kept it during a client-side submission.
  useEffect(() => {
    if (!keep && failure && ref.current) ref.current.value = "";
  }, [keep, failure]);
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      <input
        ref={ref}
        id={fieldId}
        name={name}
        defaultValue={kept ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <small id={`${fieldId}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${fieldId}-error`} className="field-error" data-testid={`error-${name}`}>
          {text(error)}
        </small>
      ) : null}
    </div>
  );
}

export function FieldErrorText({ failure, name }: { failure: FormFailure | undefined; name: string }) {
  const text = useUiText();
  const error = failure?.error.fields[name];
  if (!error) return null;
  return (
    <small className="field-error" data-testid={`error-${name}`}>
      {text(error)}
    </small>
  );
}

/**
 * A destructive action behind a second click: the summary opens the question,
 * and its button posts `intent` with the hidden fields that name the target.
 */
export function ConfirmedAction({
  summary,
  question,
  intent,
  fields,
  button,
}: {
  summary: string;
  question: string;
  intent: string;
  fields: Record<string, string>;
  button: string;
}) {
  return (
    <details className="confirm">
      <summary>{summary}</summary>
      <Form method="post">
        <p>{question}</p>
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="danger">
          {button}
        </button>
      </Form>
    </details>
  );
}

/** The quiet "saved" note a row shows after its form succeeded. */
export function SavedNote({ children }: { children: ReactNode }) {
  return (
    <small className="ok-text" role="status">
      {children}
    </small>
  );
}
