import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { exportMetadataCsv } from "~/.server/metadata/csv-export.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectParamsSchema } from "~/schemas/assets";
import { METADATA_CSV_LIMITS, MetadataExportBodySchema } from "~/schemas/metadata-csv";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Export the metadata of a selection or a folder as CSV (asset.view)",
    description:
      "Body: `{assetIds}` (all in the project, else 404) or `{folderId, subfolders}` (`root` = the top level; with `subfolders` from `root`, the whole project). " +
      "UTF-8 with a byte-order mark, CRLF, every cell quoted; a cell starting with = + - @ (or apostrophes before one) gets a leading apostrophe, so no spreadsheet runs it. " +
      "Columns: `id`, `name`, `folder` (path from the root), `tags` (one per line in the cell), `colorLabel`, `kind`, `contentType`, `size`, `createdAt`, the technical fields " +
      "(`container`, `durationSeconds`, `width`, `height`, `frameRate`, `videoCodec`, `videoCodecName`, `audioCodec`, `audioChannels`, `audioSampleRate`, `bitRate`, `startTimecode`), " +
      "then `metadata.<key>` for each of the tenant's fields by key (multiselect one option per line, booleans true/false). Rows in name order, streamed. " +
      `At most ${METADATA_CSV_LIMITS.maxExportRows} assets (else 400). Recorded as metadata.exported with the count.`,
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: MetadataExportBodySchema,
    responses: {
      200: { description: "The CSV file", contentType: "text/csv" },
      404: { description: "The folder, or an asset of the selection, is not in the project" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    // A selection of 10,000 ids is about 320 KB of JSON.
    const scope = await parseJsonBody(request, api.POST.body, 1024 * 1024);
    return exportMetadataCsv(context, projectId, scope);
  },
});
