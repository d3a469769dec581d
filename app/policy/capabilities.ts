/**
 * The capability catalog (contract: GET /permissions) and the built-in
 * project roles. Shared by server and UI (the role matrix editor).
 */

export const CAPABILITIES = [
  "asset.view",
  "asset.download_original",
  "asset.download_proxy",
  "asset.upload",
  "asset.edit_metadata",
  "asset.delete",
  "marker.edit",
  "search.use",
  "share.create",
  "collection.manage",
  "project.manage_members",
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export const BUILT_IN_ROLES = {
  project_admin: [...CAPABILITIES],
  member: [
    "asset.view",
    "asset.download_original",
    "asset.download_proxy",
    "asset.upload",
    "asset.edit_metadata",
    "marker.edit",
    "search.use",
    "share.create",
    "collection.manage",
  ],
  viewer: ["asset.view", "asset.download_proxy", "search.use"],
} as const satisfies Record<string, readonly Capability[]>;

export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

/** The built-in role keys. Look roles up with isBuiltInRole (an own-property check), never with `in`. */
export const BUILT_IN_ROLE_KEYS = Object.keys(BUILT_IN_ROLES) as [BuiltInRole, ...BuiltInRole[]];

export const BUILT_IN_ROLE_NAMES: Record<BuiltInRole, { en: string; ja: string }> = {
  project_admin: { en: "Project admin", ja: "プロジェクト管理者" },
  member: { en: "Member", ja: "メンバー" },
  viewer: { en: "Viewer", ja: "閲覧者" },
};

export function isBuiltInRole(value: string): value is BuiltInRole {
  return Object.hasOwn(BUILT_IN_ROLES, value);
}

export function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}
