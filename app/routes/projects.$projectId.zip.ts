/**
 * POST /projects/:projectId/zip: the browse page's "download as zip" (a
 * plain form post, so the browser saves the streamed file). Resource route:
 * the same domain function as POST /api/v1/projects/{p}/assets/zip, which
 * checks asset.download_original and records the download.
 */
import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { zipSelection } from "~/.server/assets/download.server";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { fail } from "~/.server/http/errors.server";
import { parseFormData, parseParams, readFormData } from "~/.server/http/validation.server";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { allow } from "~/policy/access";
import { ZipFormSchema } from "~/schemas/forms/assets";

export const access = allow.tenantUser();

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  await requireProjectPermission(context, projectId, "asset.download_original");
  const parsed = parseFormData(await readFormData(request), ZipFormSchema);
  if (!parsed.ok) fail("validation_failed", "Select between 1 and 1,000 assets.", { fields: parsed.errors });
  const { assetIds, name } = parsed.data;
  // The date in the zip's name is the viewer's date (ADR 0023).
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  return zipSelection(context, projectId, assetIds, { name: name || undefined, timeZone });
}

export function loader() {
  fail("method_not_allowed", "Post the selection to download it as a zip.");
}
