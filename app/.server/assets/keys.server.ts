/**
 * Where an asset's objects live inside the tenant's prefix (storage/keys.server.ts
 * adds `tenants/<tenantId>/`). Only ids: a file name never reaches a key.
 */
export const assetKeys = {
  original: (assetId: string) => `assets/${assetId}/original`,
  thumbnail: (assetId: string) => `assets/${assetId}/thumbnail`,
  /** The low-resolution preview the server derives (ADR 0011); served by /proxy, never the thumbnail. */
  proxy: (assetId: string) => `assets/${assetId}/proxy`,
  /** Everything derived from or belonging to the asset, for deletion. */
  all: (assetId: string) => [`assets/${assetId}/original`, `assets/${assetId}/thumbnail`, `assets/${assetId}/proxy`],
};
