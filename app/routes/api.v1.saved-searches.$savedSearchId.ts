import { noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { deleteSavedSearch } from "~/.server/assets/saved-searches.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { SavedSearchParamsSchema } from "~/schemas/assets";

export const access = allow.tenantUser();

export const api = defineApi({
  DELETE: {
    summary: "Delete one of the caller's saved searches",
    tags: ["Assets"],
    params: SavedSearchParamsSchema,
    responses: { 204: { description: "Deleted" } },
  },
});

export const action = methodAction({
  DELETE: async ({ params, context }) => {
    const { savedSearchId } = parseParams(params, api.DELETE.params);
    await deleteSavedSearch(context, savedSearchId);
    return noContent();
  },
});
