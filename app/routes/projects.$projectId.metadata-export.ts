/**
 * POST /projects/:projectId/metadata-export: the browse page's "export metadata (CSV)" for the
 * selection or the current folder (a plain form post, so the browser saves the streamed file).
 * Resource route: the same domain function as POST /api/v1/projects/{p}/assets/metadata-export,
 * which checks asset.view and records the export.
 */
import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { fail } from "~/.server/http/errors.server";
import { parseFormData, parseParams, readFormData } from "~/.server/http/validation.server";
import { exportMetadataCsv } from "~/.server/metadata/csv-export.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { allow } from "~/policy/access";
import { MetadataExportFormSchema } from "~/schemas/forms/metadata-csv";

export const access = allow.tenantUser();

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  const parsed = parseFormData(await readFormData(request), MetadataExportFormSchema);
  if (!parsed.ok) fail("validation_failed", "Name a selection of at most 10,000 assets, or a folder.", { fields: parsed.errors });
  // The date in the file's name is the viewer's date (ADR 0023).
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  return exportMetadataCsv(context, projectId, parsed.data, { timeZone });
}

export function loader() {
  fail("method_not_allowed", "Post the selection or the folder to export its metadata.");
}
