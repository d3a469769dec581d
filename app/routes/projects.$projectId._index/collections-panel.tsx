import { Form, Link } from "@remix-run/react";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import { pages } from "~/components/assets/urls";
import { useT } from "~/i18n/use-t";
import type { BrowsePageData, Done } from "./types";

/** The project's collections (issue #14): each opens its own page; holders of collection.manage create them here. */
export function CollectionsPanel({ data, held }: { data: BrowsePageData; held: Set<string> }) {
  const t = useT();
  const text = useUiText();
  const created = useFormResult<Done>("collection-create");
  const failure = failureOf(created);
  return (
    <section className="side-section" aria-labelledby="collections-heading" data-testid="collections">
      <h2 id="collections-heading">{t("collection.collections")}</h2>
      {created?.ok ? <Notice>{text(created.notice)}</Notice> : null}
      {data.collections.length === 0 ? <p className="muted">{t("collection.none")}</p> : null}
      <ul className="saved-list">
        {data.collections.map((c) => (
          <li key={c.id} data-testid="collection" data-name={c.name}>
            <Link to={pages.collection(data.project.id, c.id)}>{c.name}</Link>{" "}
            <span className="muted small">{t("collection.count", { count: c.assetCount })}</span>
          </li>
        ))}
      </ul>
      {held.has("collection.manage") ? (
        <Form method="post" className="inline-form compact" key={created?.ok ? JSON.stringify(created.notice) : "create"}>
          <input type="hidden" name="intent" value="collection-create" />
          <label htmlFor="collection-name" className="visually-hidden">
            {t("collection.name")}
          </label>
          <input id="collection-name" name="name" placeholder={t("collection.new")} maxLength={200} required defaultValue={failure?.values.name} />
          <button type="submit" data-testid="collection-create">
            {t("collection.create")}
          </button>
          <FormAlert failure={failure} />
          <FieldErrorText failure={failure} name="name" />
        </Form>
      ) : null}
    </section>
  );
}
