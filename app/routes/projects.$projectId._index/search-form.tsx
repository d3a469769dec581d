import { Link, useSubmit } from "@remix-run/react";
import { ChoiceSelect } from "~/components/assets/choice-select";
import { FilterForm, filledParams } from "~/components/clean-url";
import { useUiText } from "~/components/forms";
import { pages } from "~/components/assets/urls";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { ASSET_KINDS, ASSET_SORTS, COLOR_LABELS } from "~/schemas/assets";
import { browseSearch, hasFilters, type BrowseParams } from "~/schemas/forms/assets";
import type { BrowsePageData } from "./types";

const RESOLUTIONS = [
  { height: 720, label: "720p (HD)" },
  { height: 1080, label: "1080p (Full HD)" },
  { height: 1440, label: "1440p (QHD)" },
  { height: 2160, label: "2160p (4K UHD)" },
];

/** Search text, scope, sort and the filters (a GET form: the URL is the state). */
export function SearchForm({ data, held }: { data: BrowsePageData; held: Set<string> }) {
  const t = useT();
  const text = useUiText();
  const submit = useSubmit();
  const { browse } = data;
  const canSearch = held.has("search.use");
  const filtersOpen = hasFilters({ ...browse, q: undefined, tag: [] });
  const chips = activeFilters(data, t);
  return (
    <section className="card search-card" aria-label={t("browse.search")}>
      <FilterForm
        className="search-form"
        role="search"
        id="browse-form"
        onChange={(e) => {
          // Selects apply at once; text inputs wait for Enter or the button.
          if ((e.target as HTMLElement).tagName === "SELECT") submit(filledParams(e.currentTarget), { method: "get", replace: true });
        }}
      >
        {browse.folder ? <input type="hidden" name="folder" value={browse.folder} /> : null}
        {browse.tag.map((tag) => (
          <input key={tag} type="hidden" name="tag" value={tag} />
        ))}
        {browse.meta.map((m) => (
          <input key={m} type="hidden" name="meta" value={m} />
        ))}
        <div className="search-row">
          {canSearch ? (
            <>
              <label htmlFor="search-q" className="visually-hidden">
                {t("browse.searchLabel")}
              </label>
              <input
                id="search-q"
                type="search"
                name="q"
                defaultValue={browse.q ?? ""}
                placeholder={t("browse.searchPlaceholder")}
                maxLength={200}
                className="search-input"
                data-testid="search-q"
              />
            </>
          ) : null}
          <label htmlFor="search-scope" className="visually-hidden">
            {t("browse.scope")}
          </label>
          <select id="search-scope" name="scope" defaultValue={browse.scope}>
            <option value="folder">{t("browse.scope.folder")}</option>
            <option value="project">{t("browse.scope.project")}</option>
          </select>
          <label htmlFor="sort" className="visually-hidden">
            {t("browse.sort")}
          </label>
          <select id="sort" name="sort" defaultValue={browse.sort} data-testid="sort">
            {ASSET_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`browse.sort.${s}` as MessageKey)}
              </option>
            ))}
          </select>
          <button type="submit" className="primary">
            {canSearch ? t("browse.search") : t("browse.apply")}
          </button>
        </div>
        <details className="filters" open={filtersOpen || undefined}>
          <summary>{t("browse.filters")}</summary>
          <div className="filter-grid">
            <div className="field">
              <label htmlFor="f-kind">{t("browse.kind")}</label>
              <ChoiceSelect
                id="f-kind"
                name="kind"
                defaultValue={browse.kind ?? ""}
                first={{ value: "", key: "browse.kind.any" }}
                choices={ASSET_KINDS}
                keyPrefix="browse.kind"
              />
            </div>
            <div className="field">
              <label htmlFor="f-color">{t("browse.color")}</label>
              <ChoiceSelect
                id="f-color"
                name="colorLabel"
                defaultValue={browse.colorLabel ?? ""}
                first={{ value: "", key: "browse.color.any" }}
                choices={COLOR_LABELS}
                keyPrefix="browse.color"
              />
            </div>
            <fieldset className="field range">
              <legend>{t("browse.duration")}</legend>
              <input type="number" name="minDuration" min={0} step="any" defaultValue={browse.minDuration ?? ""} aria-label={t("browse.minDuration")} />
              <span aria-hidden="true">–</span>
              <input type="number" name="maxDuration" min={0} step="any" defaultValue={browse.maxDuration ?? ""} aria-label={t("browse.maxDuration")} />
            </fieldset>
            <div className="field">
              <label htmlFor="f-res">{t("browse.resolution")}</label>
              <select id="f-res" name="minHeight" defaultValue={browse.minHeight ?? ""}>
                <option value="">{t("browse.resolution.any")}</option>
                {RESOLUTIONS.map((r) => (
                  <option key={r.height} value={r.height}>
                    {r.label}
                  </option>
                ))}
              </select>
              {browse.minWidth !== undefined ? <input type="hidden" name="minWidth" value={browse.minWidth} /> : null}
            </div>
            <fieldset className="field range">
              <legend>{t("browse.created")}</legend>
              <input type="date" name="createdFrom" defaultValue={browse.createdFrom ?? ""} aria-label={t("browse.createdFrom")} />
              <span aria-hidden="true">–</span>
              <input type="date" name="createdTo" defaultValue={browse.createdTo ?? ""} aria-label={t("browse.createdTo")} />
            </fieldset>
            {data.fields.length > 0 ? (
              <fieldset className="field range">
                <legend>{t("browse.metaFilter")}</legend>
                <select name="metaKey" aria-label={t("browse.metaField")} defaultValue="">
                  <option value="">{t("browse.metaAny")}</option>
                  {data.fields.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.label}
                    </option>
                  ))}
                </select>
                <span aria-hidden="true">=</span>
                <input name="metaValue" aria-label={t("browse.metaValue")} maxLength={250} />
              </fieldset>
            ) : null}
          </div>
          <div className="toolbar">
            <button type="submit">{t("browse.apply")}</button>
          </div>
        </details>
      </FilterForm>
      {data.filterError ? (
        <p className="alert alert-error" role="alert" data-testid="filter-error">
          {t("browse.filterError")} {text(data.filterError)}
        </p>
      ) : null}
      {chips.length > 0 ? (
        <div className="chips" aria-label={t("browse.activeFilters")} role="group" data-testid="active-filters">
          {chips.map((c) => (
            <Link
              key={c.label}
              to={pages.project(data.project.id, browseSearch(c.without))}
              className="chip"
              aria-label={t("browse.removeFilter", { name: c.label })}
            >
              {c.label} <span aria-hidden="true">×</span>
            </Link>
          ))}
          <Link to={pages.project(data.project.id, browseSearch({ folder: browse.folder, sort: browse.sort }))} className="chip clear">
            {t("browse.clear")}
          </Link>
        </div>
      ) : null}
    </section>
  );
}

function activeFilters(data: BrowsePageData, t: ReturnType<typeof useT>): { label: string; without: BrowseParams }[] {
  const b = data.browse;
  const out: { label: string; without: BrowseParams }[] = [];
  if (b.q) out.push({ label: t("browse.chip.q", { q: b.q }), without: { ...b, q: undefined } });
  if (b.scope === "project") out.push({ label: t("browse.scope.project"), without: { ...b, scope: "folder" } });
  if (b.kind) out.push({ label: t(`browse.kind.${b.kind}` as MessageKey), without: { ...b, kind: undefined } });
  for (const tag of b.tag) out.push({ label: `#${tag}`, without: { ...b, tag: b.tag.filter((x) => x !== tag) } });
  if (b.colorLabel) out.push({ label: t(`browse.color.${b.colorLabel}` as MessageKey), without: { ...b, colorLabel: undefined } });
  if (b.minDuration !== undefined) out.push({ label: `≥ ${b.minDuration}s`, without: { ...b, minDuration: undefined } });
  if (b.maxDuration !== undefined) out.push({ label: `≤ ${b.maxDuration}s`, without: { ...b, maxDuration: undefined } });
  if (b.minHeight !== undefined) out.push({ label: `≥ ${b.minHeight}p`, without: { ...b, minHeight: undefined } });
  if (b.minWidth !== undefined) out.push({ label: `≥ ${b.minWidth}px`, without: { ...b, minWidth: undefined } });
  if (b.createdFrom) out.push({ label: `${t("browse.createdFrom")} ${b.createdFrom}`, without: { ...b, createdFrom: undefined } });
  if (b.createdTo) out.push({ label: `${t("browse.createdTo")} ${b.createdTo}`, without: { ...b, createdTo: undefined } });
  for (const m of b.meta) {
    const [key, ...rest] = m.split(":");
    const label = data.fields.find((f) => f.key === key)?.label ?? key;
    out.push({ label: `${label}: ${rest.join(":")}`, without: { ...b, meta: b.meta.filter((x) => x !== m) } });
  }
  return out;
}
