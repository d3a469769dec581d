import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { tagFacets } from "~/.server/assets/search.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { z } from "zod";
import { ProjectParamsSchema, TagFacetSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Tag facets: each tag in the project with its asset count (asset.view)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    responses: { 200: { description: "Commonest first (at most 200)", schema: z.object({ items: z.array(TagFacetSchema) }) } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json({ items: await tagFacets(context, projectId) });
}
