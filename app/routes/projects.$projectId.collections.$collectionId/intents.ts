import type { Capability } from "~/policy/capabilities";

/** The buttons the collection page's action serves (the authorization matrix has a row for each). */
export const intents = ["rename", "delete", "remove-asset", "share-create"] as const;
export type Intent = (typeof intents)[number];

export const INTENT_CAPABILITY: Record<Intent, Capability> = {
  rename: "collection.manage",
  delete: "collection.manage",
  "remove-asset": "collection.manage",
  "share-create": "share.create",
};
