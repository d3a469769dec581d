import { Form } from "@remix-run/react";
import { pages } from "~/components/assets/urls";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { CSV_ENCODINGS, METADATA_CSV_LIMITS } from "~/schemas/metadata-csv";
import type { BrowsePageData, Done, ImportReportView } from "./types";

const MEGABYTES = METADATA_CSV_LIMITS.maxBytes / (1024 * 1024);

/**
 * Metadata CSV for the folder being browsed (ADR 0033): export it (a plain form post, so the
 * browser saves the streamed file), and, for editors, import a CSV with a check-only preview and
 * the per-row report. The selection's export is in the bulk bar.
 */
export function MetadataCsvPanel({ data, held }: { data: BrowsePageData; held: Set<string> }) {
  const t = useT();
  const result = useFormResult<Done>("metadata-import");
  const failure = failureOf(result);
  const report = result?.ok ? result.report : undefined;
  return (
    <details className="card upload-card" data-testid="metadata-csv" open={result ? true : undefined}>
      <summary>{t("csv.title")}</summary>
      <form method="post" action={pages.metadataExport(data.project.id)} className="inline-form compact" data-testid="metadata-export-folder">
        <input type="hidden" name="folderId" value={data.folder?.id ?? "root"} />
        <label>
          <input type="checkbox" name="subfolders" value="true" /> {t("csv.subfolders")}
        </label>
        <button type="submit">{t(data.folder ? "csv.exportFolder" : "csv.exportRoot")}</button>
      </form>
      <p className="muted">{t("csv.exportHint")}</p>
      {held.has("asset.edit_metadata") ? (
        <Form method="post" encType="multipart/form-data" className="inline-form compact" data-testid="metadata-import-form">
          <input type="hidden" name="intent" value="metadata-import" />
          <label htmlFor="csv-file">{t("csv.file")}</label>
          <input
            id="csv-file"
            type="file"
            name="file"
            accept=".csv,text/csv"
            required
            aria-describedby="csv-import-hint"
            onChange={(e) => {
              // The server refuses it too; this only saves uploading a file that is too large.
              const file = e.currentTarget.files?.[0];
              e.currentTarget.setCustomValidity(file && file.size > METADATA_CSV_LIMITS.maxBytes ? t("err.csv.fileTooLarge", { megabytes: MEGABYTES }) : "");
            }}
          />
          <label htmlFor="csv-encoding">{t("csv.encoding")}</label>
          <select id="csv-encoding" name="encoding" defaultValue={failure?.values.encoding ?? "auto"}>
            {CSV_ENCODINGS.map((e) => (
              <option key={e} value={e}>
                {t(`csv.encoding.${e}`)}
              </option>
            ))}
          </select>
          <button type="submit" name="dryRun" value="true" data-testid="metadata-import-preview">
            {t("csv.preview")}
          </button>
          <button type="submit" name="dryRun" value="false" data-testid="metadata-import-apply">
            {t("csv.apply")}
          </button>
          <FieldErrorText failure={failure} name="file" />
        </Form>
      ) : null}
      {held.has("asset.edit_metadata") ? (
        <p className="muted" id="csv-import-hint">
          {t("csv.importHint")}
        </p>
      ) : null}
      <FormAlert failure={failure} />
      {report && result?.ok ? <ImportReport report={report} notice={result.notice} /> : null}
    </details>
  );
}

function ImportReport({ report, notice }: { report: ImportReportView; notice: Done["notice"] }) {
  const t = useT();
  const text = useUiText();
  const columns = (list: string[]) => list.join(", ");
  return (
    <section aria-labelledby="csv-report-heading" data-testid="csv-report" data-dry-run={report.dryRun ? "yes" : "no"}>
      <h3 id="csv-report-heading">{t("csv.report.title")}</h3>
      {report.dryRun ? <p className="alert alert-warn">{t("csv.report.preview")}</p> : null}
      <Notice testId="csv-summary">{text(notice)}</Notice>
      <p className="muted">{t("csv.report.encoding", { encoding: report.encoding === "shift_jis" ? "Shift_JIS" : "UTF-8" })}</p>
      {report.columns.applied.length > 0 ? <p className="muted">{t("csv.report.applied", { columns: columns(report.columns.applied) })}</p> : null}
      {report.columns.readOnly.length > 0 ? <p className="muted">{t("csv.report.readOnly", { columns: columns(report.columns.readOnly) })}</p> : null}
      {report.columns.unknown.length > 0 ? (
        <p className="alert alert-warn" data-testid="csv-unknown-columns">
          {t("csv.report.unknown", { columns: columns(report.columns.unknown) })}
        </p>
      ) : null}
      {report.errors.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="csv-errors">
            <thead>
              <tr>
                <th scope="col">{t("csv.report.row")}</th>
                <th scope="col">{t("csv.report.column")}</th>
                <th scope="col">{t("csv.report.problem")}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={`${e.row}:${e.column}:${i}`} data-testid="csv-error" data-row={e.row} data-column={e.column}>
                  <td>{e.row}</td>
                  <td>
                    <code>{e.column}</code>
                  </td>
                  <td>{text(e.text)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.errorsOmitted > 0 ? <p className="muted">{t("csv.report.omitted", { count: report.errorsOmitted })}</p> : null}
    </section>
  );
}
