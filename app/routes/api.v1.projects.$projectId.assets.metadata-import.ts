import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { charsetOf } from "~/.server/csv/decode.server";
import { importMetadataCsv } from "~/.server/metadata/csv-import.server";
import { csvOfRequest } from "~/.server/metadata/csv-upload.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectParamsSchema } from "~/schemas/assets";
import { METADATA_CSV_LIMITS, MetadataImportOptionsSchema, MetadataImportReportSchema } from "~/schemas/metadata-csv";

export const access = allow.tenantUser();

const { maxBytes, maxRows } = METADATA_CSV_LIMITS;

export const api = defineApi({
  POST: {
    summary: "Import tags, colour labels and metadata from a CSV, by asset id (asset.edit_metadata)",
    description:
      "The CSV has a header row naming the columns, as an export does; `id` is required. Imported: `tags` (one per line in the cell; replaces the asset's tags), " +
      "`colorLabel` and `metadata.<key>` (or the bare key) columns; an empty cell removes the value, a column left out leaves it alone. Name, folder and " +
      "technical columns are read-only and ignored (the report lists them). Every cell is checked as PATCH /assets/{id} checks it; a row with an error is " +
      "reported as {row, column, message} (row 1 is the header) and not applied, the other rows are applied together, with one metadata.imported event. " +
      "An id that is not an asset of this project is reported as not found. `dryRun=true` reports without changing anything. Encoding: UTF-8 (with or " +
      "without a byte-order mark) or Shift_JIS (Windows-31J); `auto` detects it, a `charset` in Content-Type or `encoding` says it. " +
      `At most ${maxBytes / 1024 / 1024} MiB and ${maxRows} rows (413). 409 when the same assets kept changing under the import (nothing was changed).`,
    tags: ["Assets"],
    params: ProjectParamsSchema,
    query: MetadataImportOptionsSchema,
    rawBody: {
      contentType: "text/csv",
      description: "The CSV file as the body, or as the field `file` of a multipart form",
      also: [
        { contentType: "multipart/form-data", schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] } },
      ],
    },
    responses: {
      200: { description: "The report", schema: MetadataImportReportSchema },
      400: { description: "Not a CSV in UTF-8 or Shift_JIS, no header with `id`, a column named twice, or a quote left open" },
      409: { description: "The assets kept changing during the import; nothing was changed" },
      413: { description: `Over ${maxBytes / 1024 / 1024} MiB or ${maxRows} rows` },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    const options = parseQuery(request, api.POST.query);
    const declared = charsetOf(request.headers.get("Content-Type"));
    const encoding = options.encoding === "auto" && declared ? declared : options.encoding;
    const report = await importMetadataCsv(context, projectId, () => csvOfRequest(request), { ...options, encoding });
    // The reasons are for the page's localised texts; the API's rows are {row, column, message}.
    return json({ ...report, errors: report.errors.map(({ row, column, message }) => ({ row, column, message })) });
  },
});
