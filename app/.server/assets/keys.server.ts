/**
 * Where an asset's objects live inside the tenant's prefix (storage/keys.server.ts
 * adds `tenants/<tenantId>/`). Only ids: a file name never reaches a key.
 */
export const assetKeys = {
  original: (assetId: string) => `assets/${assetId}/original`,
  thumbnail: (assetId: string) => `assets/${assetId}/thumbnail`,
  /** Everything derived from or belonging to the asset, for deletion. */
  all: (assetId: string) => [`assets/${assetId}/original`, `assets/${assetId}/thumbnail`],
};
