import { Form, Link } from "@remix-run/react";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import { pages } from "~/components/assets/urls";
import { browseSearch } from "~/schemas/forms/assets";
import { useT } from "~/i18n/use-t";
import type { BrowsePageData, Done } from "./types";

/** The user's own saved searches in this project, and saving the current one. */
export function SavedSearches({ data }: { data: BrowsePageData }) {
  const t = useT();
  const text = useUiText();
  const saved = useFormResult<Done>("search-save");
  const list = useFormResult<Done>("saved-searches");
  const saveFailure = failureOf(saved);
  return (
    <section className="side-section" aria-labelledby="saved-heading" data-testid="saved-searches">
      <h2 id="saved-heading">{t("browse.savedSearches")}</h2>
      {saved?.ok ? <Notice>{text(saved.notice)}</Notice> : null}
      {list?.ok ? <Notice>{text(list.notice)}</Notice> : null}
      <FormAlert failure={failureOf(list)} />
      {data.savedSearches.length === 0 ? <p className="muted">{t("browse.noSavedSearches")}</p> : null}
      <ul className="saved-list">
        {data.savedSearches.map((s) => (
          <li key={s.id} data-testid="saved-search" data-name={s.name}>
            <Link to={pages.project(data.project.id, s.search)}>{s.name}</Link>
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="search-delete" />
              <input type="hidden" name="savedSearchId" value={s.id} />
              <button
                type="submit"
                className="icon-button"
                aria-label={t("browse.deleteSearch", { name: s.name })}
                title={t("browse.deleteSearch", { name: s.name })}
              >
                ×
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" className="inline-form compact" key={saved?.ok ? saved.notice && JSON.stringify(saved.notice) : "save"}>
        <input type="hidden" name="intent" value="search-save" />
        <input type="hidden" name="search" value={browseSearch(data.browse).toString()} />
        <label htmlFor="save-search-name" className="visually-hidden">
          {t("browse.savedSearchName")}
        </label>
        <input id="save-search-name" name="name" placeholder={t("browse.saveSearch")} maxLength={100} required defaultValue={saveFailure?.values.name} />
        <button type="submit">{t("browse.save")}</button>
        <FormAlert failure={saveFailure} />
        <FieldErrorText failure={saveFailure} name="name" />
      </Form>
    </section>
  );
}
