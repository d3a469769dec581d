import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams, parseQuery } from "~/.server/http/validation.server";
import { createFolder, listFolders } from "~/.server/assets/folders.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { pageOf } from "~/schemas/common";
import { CreateFolderBodySchema, FolderSchema, ListFoldersQuerySchema, ProjectParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Folders of a project, by parent (asset.view)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    query: ListFoldersQuerySchema,
    responses: { 200: { description: "Folders sorted by name", schema: pageOf(FolderSchema) } },
  },
  POST: {
    summary: "Create a folder (asset.upload)",
    tags: ["Assets"],
    params: ProjectParamsSchema,
    body: CreateFolderBodySchema,
    responses: { 201: { description: "Created", schema: FolderSchema }, 409: { description: "A sibling has this name" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json(await listFolders(context, projectId, parseQuery(request, api.GET.query)));
}

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { projectId } = parseParams(params, api.POST.params);
    const body = await parseJsonBody(request, api.POST.body);
    return json(await createFolder(context, projectId, body), { status: 201 });
  },
});
