/**
 * Where an asset's objects live inside the tenant's prefix (storage/keys.server.ts
 * adds `tenants/<tenantId>/`). Only ids: a file name never reaches a key.
 */
const DERIVED = ["proxy", "poster", "filmstrip", "waveform", "preview"] as const;

export const assetKeys = {
  original: (assetId: string) => `assets/${assetId}/original`,
  thumbnail: (assetId: string) => `assets/${assetId}/thumbnail`,
  /** An object the transcoder derived (ADR 0030). */
  derived: (assetId: string, name: (typeof DERIVED)[number]) => `assets/${assetId}/derived/${name}`,
  /** The playable preview the transcoder derived: served by /proxy (download) and /stream (player). */
  proxy: (assetId: string) => `assets/${assetId}/derived/proxy`,
  /** Everything stored for the asset, for deletion. */
  all: (assetId: string) => [`assets/${assetId}/original`, `assets/${assetId}/thumbnail`, ...DERIVED.map((name) => `assets/${assetId}/derived/${name}`)],
};
