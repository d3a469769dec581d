import type { KuraContext } from "~/.server/context";
import { parseFormData } from "~/.server/http/validation.server";
import { importMetadataCsv, refuseLargeFile, type ImportResult } from "~/.server/metadata/csv-import.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { reasonText } from "~/.server/ui/reason-messages.server";
import type { FormFailure } from "~/components/form-types";
import type { Because } from "~/schemas/error-reasons";
import { MetadataImportFormSchema } from "~/schemas/forms/metadata-csv";
import type { Done, ImportReportView } from "./types";

/** The browse page's metadata import (ADR 0033): the form's fields are the API's options, the file is the form's `file`. */

const FORM = "metadata-import";

/** Row errors the page lists; the report counts the rest. */
const SHOWN_ERRORS = 200;

function reportView(result: ImportResult): ImportReportView {
  const shown = result.errors.slice(0, SHOWN_ERRORS);
  return {
    ...result,
    errors: shown.map((e) => ({
      row: e.row,
      column: e.column,
      text: e.reason ? reasonText({ reason: e.reason, params: e.params } as Because) : { text: e.message },
    })),
    errorsOmitted: result.errorsOmitted + result.errors.length - shown.length,
  };
}

export async function metadataImportAction(context: KuraContext, projectId: string, formData: FormData): Promise<Done | FormFailure> {
  const parsed = parseFormData(formData, MetadataImportFormSchema);
  if (!parsed.ok) return validationFailure(FORM, parsed.errors, formData);
  const file = formData.get("file");
  if (file === null || typeof file === "string" || file.size === 0) return validationFailure(FORM, [{ path: "file", message: "v.required" }], formData);
  const result = await attempt(FORM, formData, () =>
    importMetadataCsv(
      context,
      projectId,
      async () => {
        refuseLargeFile(file.size);
        return new Uint8Array(await file.arrayBuffer());
      },
      parsed.data,
    ),
  );
  if (!result.ok) return result;
  const report = reportView(result.value);
  const { rows, updated, unchanged, failed } = report;
  return {
    ok: true,
    form: FORM,
    notice: { key: report.dryRun ? "csv.report.summaryPreview" : "csv.report.summary", params: { rows, updated, unchanged, failed } },
    report,
  };
}
