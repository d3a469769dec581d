import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { exportAudit } from "~/.server/audit/read.server";
import { contentDisposition } from "~/.server/http/content-disposition.server";
import { allow } from "~/policy/access";
import { tenantPrincipal } from "~/.server/ui/session.server";
import { viewerTimeZone } from "~/.server/ui/viewer.server";
import { dayRangeInZone } from "~/i18n/time-zone";
import { AuditScreenQuerySchema } from "~/schemas/audit";

/** The audit screen's download buttons: the same export as the API, with the browser session. */
export const access = allow.tenantAdmin();

const ExportScreenQuerySchema = AuditScreenQuerySchema.omit({ cursor: true }).extend({ format: z.enum(["csv", "jsonl"]).default("csv") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = ExportScreenQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return new Response("The export filters are not valid.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  // The same days as the screen that links here: midnight to midnight in the viewer's zone.
  const timeZone = viewerTimeZone(request, context, tenantPrincipal(context));
  const file = await exportAudit(context, { ...parsed.data, ...dayRangeInZone(parsed.data, timeZone) });
  return new Response(file.stream, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "Cache-Control": "no-store",
    },
  });
}
