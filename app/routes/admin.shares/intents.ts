/** The buttons of the admin's shares screen (the authorization matrix has a row for each); the route is for tenant admins only. */
export const intents = ["policy", "pause", "resume", "update", "revoke", "revoke-link"] as const;
export type Intent = (typeof intents)[number];
