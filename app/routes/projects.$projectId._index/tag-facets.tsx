import { Link } from "@remix-run/react";
import { pages } from "~/components/assets/urls";
import { useT } from "~/i18n/use-t";
import { browseSearch, hasFilters } from "~/schemas/forms/assets";
import type { BrowsePageData } from "./types";

/**
 * Tag facets. Each count is what the list shows after the click: it is taken
 * over the list's scope and every filter it has, the search text and the tags
 * already chosen included (ADR 0021), and the panel says which scope that is. The link's accessible name starts with its
 * visible text (tag and count), so speech input can name it.
 */
export function TagFacets({ data }: { data: BrowsePageData }) {
  const t = useT();
  const { browse } = data;
  const scope = browse.scope === "project" ? t("browse.facetScope.project") : data.folder ? t("browse.facetScope.folder") : t("browse.facetScope.root");
  const otherFilters = hasFilters({ ...browse, tag: [] });
  return (
    <section className="side-section" aria-labelledby="tags-heading" data-testid="tag-facets">
      <h2 id="tags-heading">{t("browse.tags")}</h2>
      <p className="muted small" data-testid="facet-scope">
        {scope}
        {otherFilters ? ` ${t("browse.facetFiltered")}` : ""}
      </p>
      {data.facets.length === 0 ? <p className="muted">{t("browse.noTags")}</p> : null}
      <ul className="facet-list">
        {data.facets.map((f) => {
          const active = browse.tag.includes(f.tag);
          const next = { ...browse, tag: active ? browse.tag.filter((x) => x !== f.tag) : [...browse.tag, f.tag] };
          return (
            <li key={f.tag}>
              <Link
                to={pages.project(data.project.id, browseSearch(next))}
                className={`facet${active ? " active" : ""}`}
                aria-current={active ? "true" : undefined}
                data-testid="tag-facet"
                data-tag={f.tag}
              >
                <span>{f.tag}</span> <span className="count">{f.count}</span>
                <span className="visually-hidden">{active ? t("browse.tagFacetRemove") : t("browse.tagFacetAdd")}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
