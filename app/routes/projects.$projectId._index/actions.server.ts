import { requireProjectIntent } from "~/.server/access/permissions.server";
import { bulkDeleteAssets, bulkUpdateAssets } from "~/.server/assets/bulk.server";
import { createFolder, deleteFolder, getFolder, updateFolder } from "~/.server/assets/folders.server";
import { createSavedSearch, deleteSavedSearch, listSavedSearches } from "~/.server/assets/saved-searches.server";
import { addCollectionAssets, createCollection, getCollection } from "~/.server/review/collections.server";
import { createShareFromForm } from "~/.server/sharing/share-forms.server";
import type { ShareCreated } from "~/components/sharing/types";
import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData } from "~/.server/http/validation.server";
import { listMetadataFields } from "~/.server/metadata/fields.server";
import { attempt, failure as formFailure, validationFailure } from "~/.server/ui/forms.server";
import type { FormFailure } from "~/components/form-types";
import {
  BulkDeleteFormSchema,
  BulkLabelFormSchema,
  BulkMetadataFormSchema,
  BulkMoveFormSchema,
  BulkTagFormSchema,
  CollectionAddFormSchema,
  CollectionCreateFormSchema,
  FolderCreateFormSchema,
  FolderDeleteFormSchema,
  FolderMoveFormSchema,
  FolderRenameFormSchema,
  metadataValueOf,
  parseBrowseParams,
  savedQueryOf,
  SearchDeleteFormSchema,
  SearchSaveFormSchema,
} from "~/schemas/forms/assets";
import { INTENT_CAPABILITY, type Intent } from "./intents";
import { metadataImportAction } from "./metadata-csv.server";
import type { Done } from "./types";

type Result = Done | ShareCreated | FormFailure;

/** A folder of this project (its breadcrumbs too), or 404. */
async function folderInProject(context: KuraContext, projectId: string, folderId: string) {
  const folder = await getFolder(context, folderId);
  if (folder.projectId !== projectId) fail("not_found", "No such folder in this project.");
  return folder;
}

/** The browse page's buttons: the same guard as the loader, before anything is read or written. */
export async function browseAction(context: KuraContext, projectId: string, formData: FormData, viewer: { timeZone: string }): Promise<Result> {
  const intent = await requireProjectIntent(context, projectId, formData, INTENT_CAPABILITY);
  // The selection shared with people outside (issue #14): the API's body, through the same domain function.
  if (intent === "share-create") return createShareFromForm(context, { projectId, timeZone: viewer.timeZone }, formData);
  if (intent.startsWith("folder-")) return folderAction(context, projectId, intent, formData);
  if (intent.startsWith("search-")) return searchAction(context, projectId, intent, formData);
  if (intent.startsWith("collection-")) return collectionAction(context, projectId, intent, formData);
  if (intent === "metadata-import") return metadataImportAction(context, projectId, formData);
  return bulkAction(context, projectId, intent, formData);
}

/** Collections from the browse page: create one, or put the selection into one (issue #14). */
async function collectionAction(context: KuraContext, projectId: string, intent: Intent, formData: FormData): Promise<Result> {
  if (intent === "collection-create") {
    const parsed = parseFormData(formData, CollectionCreateFormSchema);
    if (!parsed.ok) return validationFailure("collection-create", parsed.errors, formData);
    const result = await attempt("collection-create", formData, () => createCollection(context, { projectId, name: parsed.data.name }));
    return result.ok ? { ok: true, form: "collection-create", notice: { key: "collection.created", params: { name: result.value.name } } } : result;
  }
  const parsed = parseFormData(formData, CollectionAddFormSchema);
  if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData);
  const collection = await getCollection(context, parsed.data.collectionId);
  if (collection.projectId !== projectId) fail("not_found", "No such collection in this project.");
  const result = await attempt("bulk", formData, () => addCollectionAssets(context, collection.id, { assetIds: parsed.data.assetIds }));
  return result.ok
    ? { ok: true, form: "bulk", notice: { key: "collection.added", params: { count: result.value.added, name: result.value.collection.name } } }
    : result;
}

async function folderAction(context: KuraContext, projectId: string, intent: Intent, formData: FormData): Promise<Result> {
  if (intent === "folder-create") {
    const parsed = parseFormData(formData, FolderCreateFormSchema);
    if (!parsed.ok) return validationFailure("folder-create", parsed.errors, formData);
    const { name, parentId } = parsed.data;
    if (parentId) await folderInProject(context, projectId, parentId);
    const result = await attempt("folder-create", formData, () => createFolder(context, projectId, { name, parentId }));
    return result.ok ? { ok: true, form: "folder-create", notice: { key: "browse.folderCreated", params: { name: result.value.name } } } : result;
  }
  const rowForm = `folder:${String(formData.get("folderId") ?? "")}`;
  const schema = intent === "folder-rename" ? FolderRenameFormSchema : intent === "folder-move" ? FolderMoveFormSchema : FolderDeleteFormSchema;
  const parsed = parseFormData(formData, schema);
  if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
  const data = parsed.data as { folderId: string; name?: string; parentId?: string | null };
  await folderInProject(context, projectId, data.folderId);
  if (data.parentId) await folderInProject(context, projectId, data.parentId);
  const result = await attempt(rowForm, formData, () =>
    intent === "folder-delete"
      ? deleteFolder(context, data.folderId)
      : updateFolder(context, data.folderId, intent === "folder-rename" ? { name: data.name } : { parentId: data.parentId ?? null }).then(() => undefined),
  );
  if (!result.ok) return result;
  return {
    ok: true,
    form: intent === "folder-delete" ? "folders" : rowForm,
    notice: { key: intent === "folder-delete" ? "browse.folderDeleted" : "browse.folderSaved" },
  };
}

async function searchAction(context: KuraContext, projectId: string, intent: Intent, formData: FormData): Promise<Result> {
  if (intent === "search-save") {
    const parsed = parseFormData(formData, SearchSaveFormSchema);
    if (!parsed.ok) return validationFailure("search-save", parsed.errors, formData);
    const query = savedQueryOf(parseBrowseParams(new URLSearchParams(parsed.data.search)));
    const result = await attempt("search-save", formData, () => createSavedSearch(context, projectId, { name: parsed.data.name, query }));
    return result.ok ? { ok: true, form: "search-save", notice: { key: "browse.searchSaved", params: { name: result.value.name } } } : result;
  }
  const parsed = parseFormData(formData, SearchDeleteFormSchema);
  if (!parsed.ok) return validationFailure("saved-searches", parsed.errors, formData);
  const mine = (await listSavedSearches(context, projectId)).some((s) => s.id === parsed.data.savedSearchId);
  if (!mine) fail("not_found", "No such saved search.");
  const result = await attempt("saved-searches", formData, () => deleteSavedSearch(context, parsed.data.savedSearchId));
  return result.ok ? { ok: true, form: "saved-searches", notice: { key: "browse.searchDeleted" } } : result;
}

type BulkBody = Parameters<typeof bulkUpdateAssets>[2];

/** The update a bulk button asks for, or the form's validation failure. */
async function bulkBody(context: KuraContext, intent: Intent, formData: FormData): Promise<BulkBody | FormFailure> {
  const invalid = (errors: { path: string; message: string }[]) => validationFailure("bulk", errors, formData, ["assetIds"]);
  if (intent === "bulk-tag-add" || intent === "bulk-tag-remove") {
    const parsed = parseFormData(formData, BulkTagFormSchema);
    if (!parsed.ok) return invalid(parsed.errors);
    return { assetIds: parsed.data.assetIds, ...(intent === "bulk-tag-add" ? { addTags: [parsed.data.tag] } : { removeTags: [parsed.data.tag] }) };
  }
  if (intent === "bulk-label") {
    const parsed = parseFormData(formData, BulkLabelFormSchema);
    if (!parsed.ok) return invalid(parsed.errors);
    return { assetIds: parsed.data.assetIds, colorLabel: parsed.data.colorLabel };
  }
  if (intent === "bulk-metadata") {
    const parsed = parseFormData(formData, BulkMetadataFormSchema);
    if (!parsed.ok) return invalid(parsed.errors);
    const field = (await listMetadataFields(context)).find((f) => f.key === parsed.data.field);
    if (!field) return invalid([{ path: "field", message: "v.meta.unknown" }]);
    // The typed input's value, read as the asset page reads it (one parse, app/schemas/forms/assets.ts).
    const typed = metadataValueOf(field, formData, "value");
    return { assetIds: parsed.data.assetIds, metadata: { [field.key]: typed.absent ? null : typed.value } };
  }
  const parsed = parseFormData(formData, BulkMoveFormSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  return { assetIds: parsed.data.assetIds, folderId: parsed.data.folderId };
}

async function bulkAction(context: KuraContext, projectId: string, intent: Intent, formData: FormData): Promise<Result> {
  if (intent === "bulk-delete") {
    const parsed = parseFormData(formData, BulkDeleteFormSchema);
    if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData, ["assetIds"]);
    const result = await attempt("bulk", formData, () => bulkDeleteAssets(context, projectId, parsed.data.assetIds), ["assetIds"]);
    return result.ok ? { ok: true, form: "bulk", notice: { key: "browse.deleted", params: { count: result.value.deleted } }, clearSelection: true } : result;
  }
  const body = await bulkBody(context, intent, formData);
  if ("ok" in body) return body;
  const result = await attempt("bulk", formData, () => bulkUpdateAssets(context, projectId, body), ["assetIds"]);
  if (!result.ok) {
    // The domain names metadata errors "metadata.<key>"; the bulk form has one value input.
    const value = Object.entries(result.error.fields).find(([k]) => k.startsWith("metadata."))?.[1];
    return value ? formFailure("bulk", { ...result.error, fields: { ...result.error.fields, value } }, formData, ["assetIds"]) : result;
  }
  return { ok: true, form: "bulk", notice: { key: "browse.updated", params: { count: result.value.updated } }, clearSelection: intent === "bulk-move" };
}
