import { Form } from "@remix-run/react";
import { formatBytes } from "~/components/assets/format";
import { DateTime } from "~/components/date-time";
import { FormAlert, failureOf, useFormResult } from "~/components/forms";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-t";
import type { AssetPageData, PageAsset } from "./types";
import { AssetProblem } from "~/components/assets/technical-table";

/** Status, size, type, checksum, who and when. */
export function FileFacts({ data }: { data: AssetPageData }) {
  const t = useT();
  const locale = useLocale();
  const { asset } = data;
  return (
    <section className="card" aria-labelledby="file-heading">
      <h2 id="file-heading">{t("asset.file")}</h2>
      <dl className="facts" data-testid="file-facts">
        <dt>{t("asset.status")}</dt>
        <dd>{t(`browse.status.${asset.status}` as MessageKey)}</dd>
        {asset.problem ? (
          <>
            <dt>{t("asset.problem")}</dt>
            <dd>
              <AssetProblem asset={asset} />
            </dd>
          </>
        ) : null}
        <dt>{t("asset.size")}</dt>
        <dd>
          {formatBytes(asset.size, locale)} <span className="muted">({asset.size.toLocaleString(locale)} B)</span>
        </dd>
        <dt>{t("asset.contentType")}</dt>
        <dd>
          <code>{asset.contentType}</code>
        </dd>
        <dt>{t("asset.sha256")}</dt>
        <dd>
          <code data-testid="sha256">{asset.sha256 ?? "—"}</code>
        </dd>
        <dt>{t("asset.createdBy")}</dt>
        <dd>
          {data.creator
            ? data.creator.isMe
              ? data.creator.name
                ? `${data.creator.name} (${t("asset.you")})`
                : t("asset.you")
              : (data.creator.name ?? t("asset.creatorUnnamed"))
            : "—"}
        </dd>
        <dt>{t("asset.createdAt")}</dt>
        <dd>
          <DateTime value={asset.createdAt} />
        </dd>
        <dt>{t("asset.updatedAt")}</dt>
        <dd>
          <DateTime value={asset.updatedAt} />
        </dd>
      </dl>
    </section>
  );
}

/** Delete, behind a confirmation. */
export function DeleteAsset({ asset }: { asset: PageAsset }) {
  const t = useT();
  const failure = failureOf(useFormResult("delete"));
  return (
    <details className="confirm" open={failure ? true : undefined}>
      <summary>{t("asset.delete")}</summary>
      <Form method="post">
        <FormAlert failure={failure} />
        <p>{t("asset.deleteConfirm", { name: asset.name })}</p>
        <input type="hidden" name="intent" value="delete" />
        <button type="submit" className="danger" data-testid="delete-asset">
          {t("common.deletePermanently")}
        </button>
      </Form>
    </details>
  );
}
