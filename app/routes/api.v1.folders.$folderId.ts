import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteFolder, getFolder, updateFolder } from "~/.server/assets/folders.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { FolderDetailSchema, FolderParamsSchema, FolderSchema, UpdateFolderBodySchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "A folder with its breadcrumbs (asset.view)",
    tags: ["Assets"],
    params: FolderParamsSchema,
    responses: { 200: { description: "The folder", schema: FolderDetailSchema } },
  },
  PATCH: {
    summary: "Rename, move or set metadata of a folder (asset.edit_metadata)",
    tags: ["Assets"],
    params: FolderParamsSchema,
    body: UpdateFolderBodySchema,
    responses: { 200: { description: "The folder", schema: FolderSchema }, 409: { description: "Name taken, or the move would make a cycle" } },
  },
  DELETE: {
    summary: "Delete an empty folder (asset.delete)",
    tags: ["Assets"],
    params: FolderParamsSchema,
    responses: { 204: { description: "Deleted" }, 409: { description: "The folder is not empty" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { folderId } = parseParams(params, api.GET.params);
  return json(await getFolder(context, folderId));
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { folderId } = parseParams(params, api.PATCH.params);
    return json(await updateFolder(context, folderId, await parseJsonBody(request, api.PATCH.body)));
  },
  DELETE: async ({ params, context }) => {
    const { folderId } = parseParams(params, api.DELETE.params);
    await deleteFolder(context, folderId);
    return noContent();
  },
});
