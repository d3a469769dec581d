import { Form } from "@remix-run/react";
import { ColorDot } from "~/components/assets/bits";
import { ChoiceSelect } from "~/components/assets/choice-select";
import { FieldErrorText, FormAlert, failureOf, useFormResult } from "~/components/forms";
import { DescribedFieldError } from "~/components/metadata/metadata-input";
import { useT } from "~/i18n/use-t";
import { COLOR_LABELS } from "~/schemas/assets";
import { MetadataForm } from "./metadata-panel";
import type { AssetPageData } from "./types";

/** Name, tags, colour label and the typed metadata, for holders of asset.edit_metadata. */
export function EditPanel({ data }: { data: AssetPageData }) {
  const t = useT();
  const { asset } = data;
  const rename = useFormResult("rename");
  const tags = useFormResult("tags");
  const label = useFormResult("label");
  const renameFailure = failureOf(rename);
  const tagFailure = failureOf(tags);
  const labelFailure = failureOf(label);
  return (
    <>
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("asset.details")}</h2>
        <FormAlert failure={renameFailure} />
        <Form method="post" className="stack" data-testid="rename-form">
          <input type="hidden" name="intent" value="rename" />
          <div className="field">
            <label htmlFor="asset-name">{t("asset.name")}</label>
            <div className="inline-form compact">
              <input
                id="asset-name"
                name="name"
                defaultValue={renameFailure?.values.name ?? asset.name}
                key={asset.name}
                maxLength={255}
                required
                aria-invalid={renameFailure?.error.fields.name ? true : undefined}
                aria-describedby={renameFailure?.error.fields.name ? "asset-name-error" : undefined}
              />
              <button type="submit">{t("asset.rename")}</button>
            </div>
            <DescribedFieldError failure={renameFailure} name="name" id="asset-name-error" />
            {rename?.ok ? <small className="ok-text">{t("asset.saved")}</small> : null}
          </div>
        </Form>

        <h3 id="tags-heading">{t("asset.tags")}</h3>
        <FormAlert failure={tagFailure} />
        {asset.tags.length === 0 ? <p className="muted">{t("asset.noTags")}</p> : null}
        <ul className="tag-list" aria-labelledby="tags-heading" data-testid="asset-tags">
          {asset.tags.map((tag) => (
            <li key={tag} data-tag={tag}>
              {tag}
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="tag-remove" />
                <input type="hidden" name="tag" value={tag} />
                <button type="submit" aria-label={t("asset.removeTag", { tag })} title={t("asset.removeTag", { tag })}>
                  ×
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="inline-form compact" key={asset.tags.join("\u0000")}>
          <input type="hidden" name="intent" value="tag-add" />
          <label htmlFor="new-tag" className="visually-hidden">
            {t("asset.newTag")}
          </label>
          <input id="new-tag" name="tag" placeholder={t("asset.newTag")} maxLength={64} required />
          <button type="submit">{t("common.add")}</button>
        </Form>
        <FieldErrorText failure={tagFailure} name="tag" />

        <h3>
          <label htmlFor="asset-label">{t("asset.label")}</label>
        </h3>
        <FormAlert failure={labelFailure} />
        <Form method="post" className="inline-form compact">
          <input type="hidden" name="intent" value="label" />
          <ColorDot color={asset.colorLabel} />
          <ChoiceSelect
            id="asset-label"
            name="colorLabel"
            defaultValue={asset.colorLabel ?? "none"}
            first={{ value: "none", key: "browse.color.none" }}
            choices={COLOR_LABELS}
            keyPrefix="browse.color"
          />
          <button type="submit">{t("common.save")}</button>
          {label?.ok ? <small className="ok-text">{t("asset.saved")}</small> : null}
        </Form>
      </section>
      <MetadataForm data={data} />
    </>
  );
}
