import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseQuery } from "~/.server/http/validation.server";
import { serveSource } from "~/.server/media/endpoints.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { GrantQuerySchema } from "~/schemas/media";

export const access = allow.anonymous("The transcoder's read of an original: authorised by the signed, expiring job grant in the URL (ADR 0030).");

export const api = defineApi({
  GET: {
    summary: "Transcoder: read the job's original (Range)",
    description: "Internal. The URL is given to the transcoder with each job; the grant names tenant, job and attempt.",
    tags: ["Transcoder (internal)"],
    query: GrantQuerySchema,
    responses: {
      200: { description: "The original", contentType: "application/octet-stream" },
      206: { description: "The requested range", contentType: "application/octet-stream" },
      404: { description: "Unknown, expired or superseded grant" },
    },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = parseQuery(request, api.GET.query);
  return serveSource(context, token, request);
}
