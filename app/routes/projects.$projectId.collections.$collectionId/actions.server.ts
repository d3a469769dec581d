import { redirect } from "@remix-run/cloudflare";
import { requireProjectIntent } from "~/.server/access/permissions.server";
import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData } from "~/.server/http/validation.server";
import { deleteCollection, getCollection, removeCollectionAsset, renameCollection } from "~/.server/review/collections.server";
import { createShareFromForm } from "~/.server/sharing/share-forms.server";
import type { ShareCreated } from "~/components/sharing/types";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { pages } from "~/components/assets/urls";
import type { FormFailure } from "~/components/form-types";
import { CollectionRemoveAssetFormSchema, CollectionRenameFormSchema } from "~/schemas/forms/assets";
import { INTENT_CAPABILITY } from "./intents";

export type Done = { ok: true; form: string; notice?: { key: "collection.renamed" | "collection.removed" } };

/** The collection, only through its own project's URL (another project's id is a 404). */
export async function collectionInProject(context: KuraContext, projectId: string, collectionId: string) {
  const collection = await getCollection(context, collectionId);
  if (collection.projectId !== projectId) fail("not_found", "No such collection.");
  return collection;
}

/** The collection page's buttons: the project guard first, then the collection's own. */
export async function collectionAction(
  context: KuraContext,
  projectId: string,
  collectionId: string,
  formData: FormData,
  viewer: { timeZone: string },
): Promise<Done | ShareCreated | FormFailure | Response> {
  const intent = await requireProjectIntent(context, projectId, formData, INTENT_CAPABILITY);
  const collection = await collectionInProject(context, projectId, collectionId);
  switch (intent) {
    case "rename": {
      const parsed = parseFormData(formData, CollectionRenameFormSchema);
      if (!parsed.ok) return validationFailure("rename", parsed.errors, formData);
      const result = await attempt("rename", formData, () => renameCollection(context, collection.id, { name: parsed.data.name }));
      return result.ok ? { ok: true, form: "rename", notice: { key: "collection.renamed" } } : result;
    }
    case "delete": {
      const result = await attempt("delete", formData, () => deleteCollection(context, collection.id));
      return result.ok ? redirect(pages.project(projectId)) : result;
    }
    case "remove-asset": {
      const parsed = parseFormData(formData, CollectionRemoveAssetFormSchema);
      if (!parsed.ok) return validationFailure("remove-asset", parsed.errors, formData);
      const result = await attempt("remove-asset", formData, () => removeCollectionAsset(context, collection.id, parsed.data.assetId));
      return result.ok ? { ok: true, form: "remove-asset", notice: { key: "collection.removed" } } : result;
    }
    case "share-create":
      // The collection itself is shared (live: what is added later is shared too).
      return createShareFromForm(context, { projectId, collectionId: collection.id, timeZone: viewer.timeZone }, formData);
  }
}
