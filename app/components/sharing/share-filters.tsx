import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import { SHARE_STATES } from "~/schemas/review";

/** The state filter (a GET form: the filter is in the URL), with room for more selects. */
export function ShareFilters({ state, children }: { state: string | undefined; children?: ReactNode }) {
  const t = useT();
  return (
    <Form method="get" className="inline-form compact share-filters" data-testid="share-filters">
      <label htmlFor="share-filter-state">{t("shares.state")}</label>
      <select id="share-filter-state" name="state" defaultValue={state ?? ""}>
        <option value="">{t("shares.allStates")}</option>
        {SHARE_STATES.map((s) => (
          <option key={s} value={s}>
            {t(`shares.state.${s}`)}
          </option>
        ))}
      </select>
      {children}
      <button type="submit">{t("shares.filter")}</button>
    </Form>
  );
}

/** "More": the next page, with the filters kept. */
export function MoreShares({ cursor, search }: { cursor: string | null; search: Record<string, string | undefined> }) {
  const t = useT();
  if (!cursor) return null;
  const params = new URLSearchParams(Object.entries({ ...search, cursor }).filter((e): e is [string, string] => Boolean(e[1])));
  return (
    <p>
      <Link to={`?${params.toString()}`} data-testid="shares-more">
        {t("shares.more")}
      </Link>
    </p>
  );
}
