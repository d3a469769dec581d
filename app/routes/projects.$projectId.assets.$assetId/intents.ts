import type { Capability } from "~/policy/capabilities";

/** The buttons the asset page's action serves (the authorization matrix has a row for each). */
export const intents = ["rename", "tag-add", "tag-remove", "label", "metadata", "delete", "retry-media"] as const;
export type Intent = (typeof intents)[number];

/** What each button needs; checked before the form is even read. */
export const INTENT_CAPABILITY: Record<Intent, Capability> = {
  rename: "asset.edit_metadata",
  "tag-add": "asset.edit_metadata",
  "tag-remove": "asset.edit_metadata",
  label: "asset.edit_metadata",
  metadata: "asset.edit_metadata",
  delete: "asset.delete",
  // Tenant and project admins (ADR 0030).
  "retry-media": "project.manage_members",
};
