import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { buildOpenApiDocument } from "~/.server/openapi/document.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";

export const access = allow.anonymous("The API description is public, like the contract it follows.");

export const api = defineApi({
  GET: {
    summary: "This OpenAPI 3.1 document",
    tags: ["Public"],
    responses: { 200: { description: "OpenAPI document", schema: z.record(z.string(), z.unknown()) } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(buildOpenApiDocument(context.routes, new URL(request.url).origin), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}
