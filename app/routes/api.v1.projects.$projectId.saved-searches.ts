import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { createSavedSearch, listSavedSearches } from "~/.server/assets/saved-searches.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { z } from "zod";
import { CreateSavedSearchBodySchema, ProjectParamsSchema, SavedSearchSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The caller's saved searches in a project",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    responses: { 200: { description: "Saved searches", schema: z.object({ items: z.array(SavedSearchSchema) }) } },
  },
  POST: {
    summary: "Save a search (only the caller sees it)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: CreateSavedSearchBodySchema,
    responses: { 201: { description: "Saved", schema: SavedSearchSchema }, 409: { description: "Name taken" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json({ items: await listSavedSearches(context, projectId) });
}

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    return json(await createSavedSearch(context, projectId, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
