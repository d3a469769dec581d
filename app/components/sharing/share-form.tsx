import { Await, Form } from "@remix-run/react";
import { Suspense, useState, type ReactNode } from "react";
import { Field, FieldErrorText, FormAlert, useBusy } from "~/components/forms";
import type { FormFailure } from "~/components/form-types";
import { useT } from "~/i18n/use-t";
import { SHARE_LIMITS, SHARE_SCOPES, type SharePolicy } from "~/schemas/review";
import type { ShareFormSettings } from "./types";

type Scope = (typeof SHARE_SCOPES)[number];
const SWITCHES = ["downloadOriginal", "downloadProxy", "comments", "approval", "watermark", "verifyEmail"] as const;
/** Where the form starts when the policy says nothing about a switch. */
const SWITCH_DEFAULTS: Record<(typeof SWITCHES)[number], boolean> = {
  downloadOriginal: true,
  downloadProxy: true,
  comments: true,
  approval: false,
  watermark: false,
  verifyEmail: false,
};

/** What the tenant's policy leaves to the user, and where the form starts (an unlocked choice is only a default). */
export function shareChoices(policy: SharePolicy) {
  const downloadsOff = !policy.downloads && policy.locked.downloads;
  return {
    scopes: SHARE_SCOPES.filter((s) => !(downloadsOff && s.endsWith("_download"))),
    scope: (policy.downloads ? "preview_download" : "preview") as Scope,
    downloadsOff,
    anonymousOffered: policy.anonymousLinks || !policy.locked.anonymousLinks,
    passwordForced: policy.passwordRequired && policy.locked.password,
    protection: policy.passwordRequired ? ("generate" as const) : ("none" as const),
  };
}

export function LockedNote({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <p className="share-locked" data-testid="share-locked">
      <span className="badge">{t("share.locked")}</span> {children}
    </p>
  );
}

/** What recipients may do; the download scopes are left out where the tenant forbids downloads. */
export function ScopeField(p: {
  id: string;
  scopes: readonly Scope[];
  value: string;
  onChange: (scope: string) => void;
  downloadsOff: boolean;
  failure: FormFailure | undefined;
}) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={p.id}>{t("share.scope")}</label>
      <select id={p.id} name="scope" value={p.value} onChange={(e) => p.onChange(e.currentTarget.value)}>
        {p.scopes.map((s) => (
          <option key={s} value={s}>
            {t(`share.scope.${s}`)}
          </option>
        ))}
      </select>
      {p.downloadsOff ? <LockedNote>{t("share.policyDownloadsOff")}</LockedNote> : null}
      <FieldErrorText failure={p.failure} name="scope" />
    </div>
  );
}

export const SHARE_SWITCHES = SWITCHES;

/** The share's switches; the download ones are dimmed (not refused) while the scope has no download. */
export function SwitchesFieldset({ checked, downloads }: { checked: (name: (typeof SWITCHES)[number]) => boolean; downloads: boolean }) {
  const t = useT();
  return (
    <fieldset className="share-fieldset share-switches">
      <legend>{t("share.options")}</legend>
      {SWITCHES.map((name) => (
        <label key={name} className="check" data-disabled={!downloads && name.startsWith("download") ? "yes" : undefined}>
          <input type="checkbox" name={name} defaultChecked={checked(name)} />
          <span>{t(`share.${name}`)}</span>
        </label>
      ))}
      {!downloads ? <small className="muted">{t("share.downloadsNeedScope")}</small> : null}
    </fieldset>
  );
}

/** The download cap per link (empty: none). */
export function MaxDownloadsField({ id, defaultValue, failure }: { id: string; defaultValue?: number | ""; failure: FormFailure | undefined }) {
  const t = useT();
  return (
    <Field
      label={t("share.maxDownloads")}
      name="maxDownloads"
      id={id}
      type="number"
      inputMode="numeric"
      min={1}
      max={100_000}
      defaultValue={defaultValue}
      failure={failure}
      hint={t("share.maxDownloadsHint")}
    />
  );
}

/** A project's folders as upload targets (deferred by the page; the top level until they arrive). */
export function FolderSelect<T>(p: {
  id: string;
  name: string;
  defaultValue: string;
  choices: Promise<T>;
  pick: (resolved: T) => { id: string; path: string }[];
}) {
  const t = useT();
  const select = (choices: { id: string; path: string }[]) => (
    <select id={p.id} name={p.name} defaultValue={p.defaultValue}>
      <option value="">{t("browse.root")}</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.path}
        </option>
      ))}
    </select>
  );
  return (
    <Suspense fallback={select([])}>
      <Await resolve={p.choices} errorElement={select([])}>
        {(resolved) => select(p.pick(resolved as T))}
      </Await>
    </Suspense>
  );
}

/**
 * The create-share form (issue #14): per-recipient links by default, a link for anyone only where
 * the tenant allows it, scope, switches, expiry in the viewer's zone, password (own or made),
 * download cap, upload folder and the e-mail to recipients. The tenant's locked choices are shown
 * fixed. Posts `intent=share-create` to the page it is on, with `hidden` naming what is shared.
 */
export function ShareForm({
  settings,
  heading,
  hidden,
  failure,
  folderPicker,
}: {
  settings: ShareFormSettings;
  heading: string;
  hidden: ReactNode;
  failure: FormFailure | undefined;
  /** The project's folder select for uploads (id and name given). */
  folderPicker: (props: { id: string; name: string; defaultValue: string }) => ReactNode;
}) {
  const t = useT();
  const { policy } = settings;
  const choices = shareChoices(policy);
  const kept = failure?.values;
  const [linkKind, setLinkKind] = useState(kept?.linkKind === "anonymous" && choices.anonymousOffered ? "anonymous" : "recipients");
  const [scope, setScope] = useState<string>(kept?.scope ?? choices.scope);
  const [protection, setProtection] = useState(kept?.protection ?? choices.protection);
  const [notify, setNotify] = useState(kept ? kept.notify === "on" : false);
  const busy = useBusy("share-create");
  const checked = (name: (typeof SWITCHES)[number]) => (kept ? kept[name] === "on" : SWITCH_DEFAULTS[name]);
  const downloads = scope.endsWith("download");
  return (
    <Form method="post" className="share-form" data-testid="share-form" aria-labelledby="share-form-heading">
      <input type="hidden" name="intent" value="share-create" />
      {hidden}
      <h2 id="share-form-heading">{heading}</h2>
      <FormAlert failure={failure} />
      <FieldErrorText failure={failure} name="assetIds" />

      <fieldset className="share-fieldset">
        <legend>{t("share.links")}</legend>
        <label className="check">
          <input type="radio" name="linkKind" value="recipients" checked={linkKind === "recipients"} onChange={() => setLinkKind("recipients")} />
          <span>{t("share.perRecipient")}</span>
        </label>
        {choices.anonymousOffered ? (
          <label className="check">
            <input
              type="radio"
              name="linkKind"
              value="anonymous"
              checked={linkKind === "anonymous"}
              onChange={() => setLinkKind("anonymous")}
              data-testid="share-anonymous"
            />
            <span>{t("share.anonymous")}</span>
          </label>
        ) : (
          <LockedNote>{t("share.policyAnonymousOff")}</LockedNote>
        )}
        <small className="muted">{linkKind === "recipients" ? t("share.perRecipientHint") : t("share.anonymousHint")}</small>
        {linkKind === "recipients" ? (
          <div className="field">
            <label htmlFor="share-recipients">{t("share.recipients")}</label>
            <textarea
              id="share-recipients"
              name="recipients"
              rows={3}
              spellCheck={false}
              autoComplete="off"
              defaultValue={kept?.recipients ?? ""}
              aria-describedby="share-recipients-hint"
              aria-invalid={failure?.error.fields.recipients ? true : undefined}
              placeholder="client@example.com"
            />
            <small id="share-recipients-hint" className="muted">
              {t("share.recipientsHint", { max: SHARE_LIMITS.recipients })}
            </small>
            <FieldErrorText failure={failure} name="recipients" />
          </div>
        ) : null}
      </fieldset>

      <ScopeField id="share-scope" scopes={choices.scopes} value={scope} onChange={setScope} downloadsOff={choices.downloadsOff} failure={failure} />
      <SwitchesFieldset checked={checked} downloads={downloads} />

      {scope.includes("upload") ? (
        <div className="field">
          <label htmlFor="share-upload-folder">{t("share.uploadFolder")}</label>
          {folderPicker({ id: "share-upload-folder", name: "uploadFolderId", defaultValue: kept?.uploadFolderId ?? "" })}
          <FieldErrorText failure={failure} name="uploadFolderId" />
        </div>
      ) : null}

      {policy.locked.expiry ? (
        <div className="field">
          <span className="field-label">{t("share.expiresAt")}</span>
          <input type="hidden" name="expiresAt" value={settings.expiry.value} />
          <LockedNote>{t("share.expiryFixed", { days: settings.longestDays })}</LockedNote>
          <FieldErrorText failure={failure} name="expiresAt" />
        </div>
      ) : (
        <Field
          label={t("share.expiresAt")}
          name="expiresAt"
          id="share-expires"
          type="datetime-local"
          required
          defaultValue={settings.expiry.value}
          min={settings.expiry.min}
          max={settings.expiry.max}
          failure={failure}
          hint={t("share.expiresHint", { zone: settings.timeZone, days: settings.longestDays })}
        />
      )}

      <fieldset className="share-fieldset">
        <legend>{t("share.password")}</legend>
        {(["none", "own", "generate"] as const)
          .filter((p) => !(p === "none" && choices.passwordForced))
          .map((p) => (
            <label key={p} className="check">
              <input
                type="radio"
                name="protection"
                value={p}
                checked={protection === p}
                onChange={() => setProtection(p)}
                data-testid={`share-protection-${p}`}
              />
              <span>{t(`share.protection.${p}`)}</span>
            </label>
          ))}
        {choices.passwordForced ? <LockedNote>{t("share.policyPasswordRequired")}</LockedNote> : null}
        {protection === "own" ? (
          <Field
            label={t("share.passwordInput")}
            name="password"
            id="share-password-input"
            type="password"
            autoComplete="new-password"
            minLength={SHARE_LIMITS.passwordMin}
            maxLength={256}
            keep={false}
            failure={failure}
            hint={t("share.passwordHint")}
          />
        ) : (
          <FieldErrorText failure={failure} name="password" />
        )}
      </fieldset>

      <MaxDownloadsField id="share-max-downloads" failure={failure} />

      {linkKind === "recipients" ? (
        <fieldset className="share-fieldset">
          <legend className="visually-hidden">{t("share.notify")}</legend>
          <label className="check">
            <input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} data-testid="share-notify" />
            <span>{t("share.notify")}</span>
          </label>
          <small className="muted">{t("share.notifyHint")}</small>
          <FieldErrorText failure={failure} name="notify" />
          {notify ? (
            <div className="field">
              <label htmlFor="share-message">{t("share.message")}</label>
              <textarea id="share-message" name="message" rows={3} maxLength={SHARE_LIMITS.messageLength} defaultValue={kept?.message ?? ""} />
              <FieldErrorText failure={failure} name="message" />
            </div>
          ) : null}
        </fieldset>
      ) : null}

      <p>
        <button type="submit" className="primary" disabled={busy} data-testid="share-submit">
          {t("share.create")}
        </button>
      </p>
    </Form>
  );
}
