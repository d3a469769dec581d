import { Await, Form, Link } from "@remix-run/react";
import { Suspense, useState, type ReactNode } from "react";
import { pages } from "~/components/assets/urls";
import { DateTime } from "~/components/date-time";
import { ConfirmedAction, FieldErrorText, FormAlert, failureOf, Field, Notice, useBusy, useFormResult, useUiText } from "~/components/forms";
import type { FormFailure, UiText } from "~/components/form-types";
import { useT } from "~/i18n/use-t";
import { wallTimeInput } from "~/i18n/time-zone";
import { SHARE_SCOPES } from "~/schemas/review";
import { FolderSelect, MaxDownloadsField, ScopeField, SHARE_SWITCHES, shareChoices, SwitchesFieldset } from "./share-form";
import { shareRowForm, type ListedShare, type ShareFormSettings } from "./types";

export type FolderChoice = { id: string; path: string };

const SWITCHES = SHARE_SWITCHES;

/** What a share holds: a collection by name, or its files (the first names, then a count). */
function Holds({ share, linkCollection }: { share: ListedShare; linkCollection: boolean }) {
  const t = useT();
  if (share.collectionId) {
    const text = t("shares.holdsCollection", { name: share.collectionName ?? "—", count: share.assetCount });
    return linkCollection && share.collectionName ? <Link to={pages.collection(share.projectId, share.collectionId)}>{text}</Link> : <>{text}</>;
  }
  const more = share.assetCount - share.assetNames.length;
  return (
    <>
      {t("shares.holdsFiles", { count: share.assetCount })}
      {share.assetNames.length > 0 ? (
        <span className="share-names">
          {share.assetNames.map((name, i) => (
            <span key={i} className="share-name">
              {name}
            </span>
          ))}
          {more > 0 ? <span className="muted"> {t("shares.holdsMore", { count: more })}</span> : null}
        </span>
      ) : null}
    </>
  );
}

/** Upload folder choices by project (deferred by the page). */
export type FolderChoices = Promise<Record<string, FolderChoice[]>>;

function FolderName({ folders, projectId, id }: { folders: FolderChoices; projectId: string; id: string | null }) {
  const t = useT();
  if (!id) return <>{t("browse.root")}</>;
  return (
    <Suspense fallback={<span className="muted">…</span>}>
      <Await resolve={folders} errorElement={<span className="muted">—</span>}>
        {(byProject) => <>{byProject[projectId]?.find((f) => f.id === id)?.path ?? "—"}</>}
      </Await>
    </Suspense>
  );
}

/**
 * One share on a shares screen (issue #14): state, what it holds, its settings, and each link with
 * its recipient, last access, opens and downloads; pause or resume, change settings (same URLs),
 * revoke it, or revoke one link. The buttons post to the page they are on.
 */
export function ShareCard({
  share,
  settings,
  folders,
  showProject,
}: {
  share: ListedShare;
  settings: ShareFormSettings;
  folders: FolderChoices;
  showProject: boolean;
}) {
  const t = useT();
  const text = useUiText();
  const result = useFormResult<{ ok: true; form: string; notice: UiText }>(shareRowForm(share.id));
  const failure = failureOf(result);
  const live = share.state !== "revoked";
  const options = SWITCHES.filter((s) => share[s]);
  return (
    <article className="card share-card" data-testid="share" data-share-id={share.id} data-state={share.state} aria-labelledby={`share-${share.id}-title`}>
      <header className="share-head">
        <span className="badge share-state" data-state={share.state} data-testid="share-state">
          {t(`shares.state.${share.state}`)}
        </span>
        <h2 id={`share-${share.id}-title`} className="share-title">
          <Holds share={share} linkCollection={!showProject} />
        </h2>
        {live ? (
          <div className="share-actions">
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value={share.paused ? "resume" : "pause"} />
              <input type="hidden" name="shareId" value={share.id} />
              <button type="submit" data-testid={share.paused ? "share-resume" : "share-pause"}>
                {share.paused ? t("shares.resume") : t("shares.pause")}
              </button>
            </Form>
            <ConfirmedAction
              summary={t("shares.revoke")}
              question={t("shares.revokeConfirm")}
              intent="revoke"
              fields={{ shareId: share.id }}
              button={t("shares.revoke")}
            />
          </div>
        ) : null}
      </header>
      {result?.ok ? <Notice testId="share-notice">{text(result.notice)}</Notice> : null}
      <FormAlert failure={failure} />
      <dl className="facts share-facts">
        {showProject ? (
          <>
            <dt>{t("shares.project")}</dt>
            <dd>
              <Link to={`/projects/${encodeURIComponent(share.projectId)}/shares`}>{share.projectName}</Link>
            </dd>
          </>
        ) : null}
        <dt>{t("shares.scope")}</dt>
        <dd data-testid="share-scope" data-scope={share.scope}>
          {t(`share.scope.${share.scope}`)}
        </dd>
        <dt>{t("shares.expires")}</dt>
        <dd data-testid="share-expires">
          <DateTime value={share.expiresAt} />
        </dd>
        <dt>{t("shares.protection")}</dt>
        <dd>{share.hasPassword ? t("shares.withPassword") : t("shares.withoutPassword")}</dd>
        <dt>{t("shares.cap")}</dt>
        <dd>{share.maxDownloads ? t("shares.capValue", { count: share.maxDownloads }) : t("shares.noCap")}</dd>
        <dt>{t("shares.options")}</dt>
        <dd>{options.length > 0 ? options.map((s) => t(`share.${s}`)).join(" · ") : t("shares.noOptions")}</dd>
        {share.scope.includes("upload") ? (
          <>
            <dt>{t("shares.uploadsTo")}</dt>
            <dd>
              <FolderName folders={folders} projectId={share.projectId} id={share.uploadFolderId} />
            </dd>
          </>
        ) : null}
        <dt>{t("shares.created")}</dt>
        <dd>
          <DateTime value={share.createdAt} />
        </dd>
      </dl>
      <LinksTable share={share} />
      {live ? <ShareSettings share={share} settings={settings} folders={folders} failure={failure} /> : null}
    </article>
  );
}

/** Each link with its counters; a recipient's link can be revoked on its own. */
function LinksTable({ share }: { share: ListedShare }) {
  const t = useT();
  const cells = (label: string, content: ReactNode, testId?: string) => (
    <td data-label={label} data-testid={testId}>
      {content}
    </td>
  );
  return (
    <table className="table share-links-table">
      <caption className="visually-hidden">{t("shares.recipients")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("shares.recipient")}</th>
          <th scope="col">{t("shares.lastAccess")}</th>
          <th scope="col">{t("shares.accesses")}</th>
          <th scope="col">{t("shares.downloads")}</th>
          <th scope="col">{t("shares.linkState")}</th>
        </tr>
      </thead>
      <tbody>
        {share.links.map((link) => {
          const who = link.recipientEmail ?? t("shares.anonymous");
          return (
            <tr key={link.id} data-testid="share-link-row" data-recipient={link.recipientEmail ?? ""} data-revoked={link.revoked ? "yes" : "no"}>
              <th scope="row" className="share-recipient">
                {who}
              </th>
              {cells(t("shares.lastAccess"), <DateTime value={link.lastAccessAt} />)}
              {cells(t("shares.accesses"), <span className="num">{link.accesses}</span>, "share-link-accesses")}
              {cells(t("shares.downloads"), <span className="num">{link.downloads}</span>, "share-link-downloads")}
              {cells(
                t("shares.linkState"),
                link.revoked || share.state === "revoked" ? (
                  <span className="muted">{t("shares.linkRevoked")}</span>
                ) : link.recipientEmail ? (
                  <ConfirmedAction
                    summary={t("shares.revokeLink")}
                    question={t("shares.revokeLinkConfirm", { who })}
                    intent="revoke-link"
                    fields={{ shareId: share.id, linkId: link.id }}
                    button={t("shares.revokeLink")}
                  />
                ) : (
                  <span>{t("shares.linkActive")}</span>
                ),
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Change scope, switches, expiry, cap and upload folder; the links stay the same. */
function ShareSettings({
  share,
  settings,
  folders,
  failure,
}: {
  share: ListedShare;
  settings: ShareFormSettings;
  folders: FolderChoices;
  failure: FormFailure | undefined;
}) {
  const t = useT();
  const choices = shareChoices(settings.policy);
  const kept = failure?.values;
  const [scope, setScope] = useState(kept?.scope ?? share.scope);
  const busy = useBusy("update");
  const scopes = SHARE_SCOPES.filter((s) => choices.scopes.includes(s) || s === share.scope);
  const checked = (name: (typeof SWITCHES)[number]) => (kept ? kept[name] === "on" : share[name]);
  return (
    <details className="share-edit" open={failure ? true : undefined}>
      <summary data-testid="share-edit-open">{t("shares.change")}</summary>
      <Form method="post" className="share-form" data-testid="share-edit-form">
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="shareId" value={share.id} />
        <small className="muted">{t("shares.changeHint")}</small>
        <ScopeField id={`share-${share.id}-scope`} scopes={scopes} value={scope} onChange={setScope} downloadsOff={choices.downloadsOff} failure={failure} />
        <SwitchesFieldset checked={checked} downloads={scope.endsWith("download")} />
        {scope.includes("upload") ? (
          <div className="field">
            <label htmlFor={`share-${share.id}-folder`}>{t("share.uploadFolder")}</label>
            <FolderSelect
              id={`share-${share.id}-folder`}
              name="uploadFolderId"
              defaultValue={kept?.uploadFolderId ?? share.uploadFolderId ?? ""}
              choices={folders}
              pick={(byProject) => byProject[share.projectId] ?? []}
            />
            <FieldErrorText failure={failure} name="uploadFolderId" />
          </div>
        ) : null}
        <Field
          label={t("share.expiresAt")}
          name="expiresAt"
          id={`share-${share.id}-expires`}
          type="datetime-local"
          required
          defaultValue={wallTimeInput(new Date(share.expiresAt), settings.timeZone)}
          max={settings.expiry.max}
          failure={failure}
          hint={t("share.expiresHint", { zone: settings.timeZone, days: settings.longestDays })}
        />
        <MaxDownloadsField id={`share-${share.id}-cap`} defaultValue={share.maxDownloads ?? ""} failure={failure} />
        <p>
          <button type="submit" className="primary" disabled={busy} data-testid="share-edit-save">
            {t("shares.save")}
          </button>
        </p>
      </Form>
    </details>
  );
}
