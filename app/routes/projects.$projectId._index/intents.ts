import type { Capability } from "~/policy/capabilities";

/** The buttons the browse page's action serves (the authorization matrix has a row for each). */
export const intents = [
  "folder-create",
  "folder-rename",
  "folder-move",
  "folder-delete",
  "search-save",
  "search-delete",
  "bulk-tag-add",
  "bulk-tag-remove",
  "bulk-label",
  "bulk-metadata",
  "bulk-move",
  "bulk-delete",
  "collection-create",
  "collection-add",
  "metadata-import",
  "share-create",
] as const;

export type Intent = (typeof intents)[number];

/** What each button needs; checked before the form is even read. */
export const INTENT_CAPABILITY: Record<Intent, Capability> = {
  "folder-create": "asset.upload",
  "folder-rename": "asset.edit_metadata",
  "folder-move": "asset.edit_metadata",
  "folder-delete": "asset.delete",
  "search-save": "asset.view",
  "search-delete": "asset.view",
  "bulk-tag-add": "asset.edit_metadata",
  "bulk-tag-remove": "asset.edit_metadata",
  "bulk-label": "asset.edit_metadata",
  "bulk-metadata": "asset.edit_metadata",
  "bulk-move": "asset.edit_metadata",
  "bulk-delete": "asset.delete",
  "collection-create": "collection.manage",
  "collection-add": "collection.manage",
  "metadata-import": "asset.edit_metadata",
  "share-create": "share.create",
};
