import { Form, Link } from "@remix-run/react";
import { FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import { MetadataInput } from "~/components/metadata/metadata-input";
import { metadataValueText } from "~/components/metadata/field-types";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import type { Done } from "./types";
import type { AssetPageData } from "./types";

/** The tenant's typed fields, an input per type (the domain's error for a field is shown next to it). */
export function MetadataForm({ data }: { data: AssetPageData }) {
  const t = useT();
  const text = useUiText();
  const result = useFormResult<Done>("metadata");
  const failure = failureOf(result);
  const { asset } = data;
  return (
    <section className="card" aria-labelledby="meta-heading">
      <h2 id="meta-heading">{t("asset.metadata")}</h2>
      {data.fields.length === 0 ? (
        <p className="muted">
          {t("asset.noFields")} {data.isTenantAdmin ? <Link to="/admin/metadata-fields">{t("asset.noFieldsAdmin")}</Link> : null}
        </p>
      ) : (
        <Form method="post" className="stack meta-form" data-testid="metadata-form">
          {result?.ok && result.notice ? <Notice testId="metadata-notice">{text(result.notice)}</Notice> : null}
          <FormAlert failure={failure} />
          <input type="hidden" name="intent" value="metadata" />
          {data.fields.map((f) => (
            <MetadataInput key={f.key} field={f} name={`metadata.${f.key}`} id={`meta-${f.key}`} value={asset.metadata[f.key]} failure={failure} />
          ))}
          <button type="submit" className="primary">
            {t("asset.saveMetadata")}
          </button>
        </Form>
      )}
    </section>
  );
}

/** What a user without asset.edit_metadata sees instead of the edit panel. */
export function ReadOnlyPanel({ data }: { data: AssetPageData }) {
  const t = useT();
  const { asset } = data;
  return (
    <section className="card" aria-labelledby="details-heading" data-testid="read-only">
      <h2 id="details-heading">{t("asset.details")}</h2>
      <dl className="facts">
        <dt>{t("asset.tags")}</dt>
        <dd>{asset.tags.length ? asset.tags.join(", ") : t("asset.noTags")}</dd>
        <dt>{t("asset.label")}</dt>
        <dd>{asset.colorLabel ? t(`browse.color.${asset.colorLabel}` as MessageKey) : "—"}</dd>
        {data.fields.map((f) => {
          const value: unknown = asset.metadata[f.key];
          return (
            <div key={f.key} className="contents">
              <dt>{f.label}</dt>
              <dd data-testid={`meta-${f.key}`}>{f.type === "url" && typeof value === "string" ? <SafeLink href={value} /> : metadataValueText(value, t)}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/** Only http(s) links are rendered as links (the domain stores only those, this is belt and braces). */
function SafeLink({ href }: { href: string }) {
  const ok = /^https?:\/\//i.test(href);
  return ok ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {href}
    </a>
  ) : (
    <span>{href}</span>
  );
}
