import type { Capability } from "~/policy/capabilities";

/** The buttons of the project's shares screen (the authorization matrix has a row for each); all need share.create, as the API. */
export const intents = ["pause", "resume", "update", "revoke", "revoke-link"] as const;
export type Intent = (typeof intents)[number];

export const INTENT_CAPABILITY: Record<Intent, Capability> = {
  pause: "share.create",
  resume: "share.create",
  update: "share.create",
  revoke: "share.create",
  "revoke-link": "share.create",
};
