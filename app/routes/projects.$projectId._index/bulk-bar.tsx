import { Form } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import type { BrowserAsset, useSelection } from "~/components/assets/asset-browser";
import { ChoiceSelect } from "~/components/assets/choice-select";
import { pages } from "~/components/assets/urls";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import type { FormFailure } from "~/components/form-types";
import { MetadataInput } from "~/components/metadata/metadata-input";
import { useT } from "~/i18n/use-t";
import { COLOR_LABELS } from "~/schemas/assets";
import { METADATA_CSV_LIMITS } from "~/schemas/metadata-csv";
import { SHARE_LIMITS } from "~/schemas/review";
import { ShareCreatedPanel } from "~/components/sharing/share-created";
import { ShareForm } from "~/components/sharing/share-form";
import type { ShareCreated } from "~/components/sharing/types";
import { FolderPicker } from "./folder-picker";
import type { BrowsePageData, Done } from "./types";

/** What can be done to the selection: tags, label, a metadata field, move, zip, delete. */
export function BulkToolbar({
  data,
  held,
  selection,
  items,
}: {
  data: BrowsePageData;
  held: Set<string>;
  selection: ReturnType<typeof useSelection>;
  items: BrowserAsset[];
}) {
  const t = useT();
  const text = useUiText();
  const result = useFormResult<Done>("bulk");
  const failure = failureOf(result);
  const count = selection.selected.size;
  const ids = [...selection.selected].join(",");
  const canEdit = held.has("asset.edit_metadata");
  const shareResult = useFormResult<ShareCreated>("share-create");
  const shareFailure = failureOf(shareResult);
  const [sharing, setSharing] = useState(Boolean(shareFailure));
  const [closed, setClosed] = useState<string | null>(null);
  // A share made: its links replace the form (shown once, until closed).
  const created = shareResult?.ok && shareResult.created.id !== closed ? shareResult.created : null;
  useEffect(() => {
    if (shareResult) setSharing(!shareResult.ok);
  }, [shareResult]);
  useEffect(() => {
    if (sharing) document.getElementById("share-panel")?.scrollIntoView({ block: "start" });
  }, [sharing]);
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="assetIds" value={ids} />
    </>
  );
  return (
    <div className="bulk-area">
      {result?.ok ? <Notice testId="bulk-notice">{text(result.notice)}</Notice> : null}
      <FormAlert failure={failure} />
      {failure ? (
        <>
          <FieldErrorText failure={failure} name="assetIds" />
          <FieldErrorText failure={failure} name="tag" />
          <FieldErrorText failure={failure} name="value" />
        </>
      ) : null}
      {created ? <ShareCreatedPanel created={created} onClose={() => setClosed(created.id)} /> : null}
      {count === 0 ? (
        items.length > 0 ? (
          <div className="toolbar">
            <button type="button" onClick={selection.all} data-testid="select-all">
              {t("browse.selectAll")}
            </button>
          </div>
        ) : null
      ) : (
        <div className="bulk-bar" role="region" aria-label={t("browse.selectionActions")} data-testid="bulk-bar" data-sharing={sharing ? "yes" : undefined}>
          <div className="bulk-count">
            <strong role="status">{t("browse.selected", { count })}</strong>
            <button type="button" onClick={selection.clear}>
              {t("browse.clearSelection")}
            </button>
            <button type="button" onClick={selection.all}>
              {t("browse.selectAll")}
            </button>
          </div>
          {canEdit ? (
            <>
              <Form method="post" className="inline-form compact">
                {hidden("bulk-tag-add")}
                <label htmlFor="bulk-tag">{t("browse.tag")}</label>
                <input id="bulk-tag" name="tag" maxLength={64} required list="known-tags" />
                <datalist id="known-tags">
                  {data.facets.map((f) => (
                    <option key={f.tag} value={f.tag} />
                  ))}
                </datalist>
                <button type="submit">{t("browse.addTag")}</button>
                <button type="submit" name="intent" value="bulk-tag-remove">
                  {t("browse.removeTag")}
                </button>
              </Form>
              <Form method="post" className="inline-form compact">
                {hidden("bulk-label")}
                <label htmlFor="bulk-label">{t("browse.color")}</label>
                <ChoiceSelect
                  id="bulk-label"
                  name="colorLabel"
                  defaultValue="none"
                  first={{ value: "none", key: "browse.color.none" }}
                  choices={COLOR_LABELS}
                  keyPrefix="browse.color"
                />
                <button type="submit">{t("browse.setLabel")}</button>
              </Form>
              {data.fields.length > 0 ? <BulkMetadataForm data={data} failure={failure} hidden={hidden("bulk-metadata")} /> : null}
              <Form method="post" className="inline-form compact">
                {hidden("bulk-move")}
                <label htmlFor="bulk-folder">{t("browse.moveTo")}</label>
                <FolderPicker data={data} id="bulk-folder" name="folderId" defaultValue={data.folder?.id ?? ""} />
                <button type="submit">{t("browse.move")}</button>
              </Form>
            </>
          ) : null}
          {held.has("collection.manage") && data.collections.length > 0 ? (
            <Form method="post" className="inline-form compact" data-testid="collection-add-form">
              {hidden("collection-add")}
              <label htmlFor="bulk-collection">{t("collection.addTo")}</label>
              <select id="bulk-collection" name="collectionId" required>
                {data.collections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <button type="submit" disabled={count > 200}>
                {t("collection.add")}
              </button>
            </Form>
          ) : null}
          <form method="post" action={pages.metadataExport(data.project.id)} className="inline-form compact" data-testid="metadata-export-selection">
            <input type="hidden" name="assetIds" value={ids} />
            <button type="submit" disabled={count > METADATA_CSV_LIMITS.maxSelection}>
              {t("csv.exportSelection")}
            </button>
          </form>
          {data.shareForm ? (
            <button
              type="button"
              aria-expanded={sharing}
              aria-controls="share-panel"
              onClick={() => setSharing(!sharing)}
              disabled={count > SHARE_LIMITS.assets}
              data-testid="share-open"
            >
              {t("share.share")}
            </button>
          ) : null}
          {held.has("asset.download_original") ? (
            <form method="post" action={pages.zip(data.project.id)} className="inline-form compact" data-testid="zip-form">
              <input type="hidden" name="assetIds" value={ids} />
              <button type="submit" disabled={count > 1000}>
                {t("browse.downloadZip")}
              </button>
            </form>
          ) : null}
          {held.has("asset.delete") ? (
            <details className="confirm">
              <summary>{t("browse.deleteSelected")}</summary>
              <Form method="post">
                {hidden("bulk-delete")}
                <p>{t("browse.deleteSelectedConfirm", { count })}</p>
                <button type="submit" className="danger" disabled={count > 1000}>
                  {t("common.deletePermanently")}
                </button>
              </Form>
            </details>
          ) : null}
        </div>
      )}
      {data.shareForm && count > 0 && sharing ? (
        <div id="share-panel" className="card share-panel">
          <ShareForm
            settings={data.shareForm}
            heading={t("share.title", { count })}
            hidden={<input type="hidden" name="assetIds" value={ids} />}
            failure={shareFailure}
            folderPicker={(props) => <FolderPicker data={data} {...props} />}
          />
        </div>
      ) : (
        // Without the form on screen (no selection yet, as after a reload), its refusal still shows.
        <FormAlert failure={shareFailure} />
      )}
    </div>
  );
}

/** Set one metadata field on the selection, with the field's own typed input (the asset page's). */
function BulkMetadataForm({ data, failure, hidden }: { data: BrowsePageData; failure: FormFailure | undefined; hidden: ReactNode }) {
  const t = useT();
  const [key, setKey] = useState(failure?.values.field ?? data.fields[0]?.key ?? "");
  const field = data.fields.find((f) => f.key === key) ?? data.fields[0]!;
  return (
    <Form method="post" className="inline-form compact">
      {hidden}
      <label htmlFor="bulk-field">{t("browse.metaField")}</label>
      <select id="bulk-field" name="field" value={field.key} onChange={(e) => setKey(e.currentTarget.value)}>
        {data.fields.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}
          </option>
        ))}
      </select>
      <MetadataInput key={field.key} field={field} name="value" id="bulk-value" value={null} failure={failure} labelHidden />
      <button type="submit">{t("browse.setField")}</button>
    </Form>
  );
}
