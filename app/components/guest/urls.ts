/** The guest portal's pages and the browser mirror of the guest API (issue #14): the link's token is in every path. */
const enc = encodeURIComponent;

export const guestPages = {
  share: (token: string) => `/s/${enc(token)}`,
  asset: (token: string, assetId: string) => `/s/${enc(token)}/${enc(assetId)}`,
};

export const guestApi = {
  assets: (token: string, cursor: string) => `/web/v1/public/shares/${enc(token)}/assets?cursor=${enc(cursor)}`,
  asset: (token: string, assetId: string) => `/web/v1/public/shares/${enc(token)}/assets/${enc(assetId)}`,
  thumbnail: (token: string, assetId: string) => `${guestApi.asset(token, assetId)}/thumbnail`,
  original: (token: string, assetId: string) => `${guestApi.asset(token, assetId)}/original`,
  proxy: (token: string, assetId: string) => `${guestApi.asset(token, assetId)}/proxy`,
  approval: (token: string, assetId: string) => `${guestApi.asset(token, assetId)}/approval`,
  uploads: (token: string) => `/web/v1/public/shares/${enc(token)}/uploads`,
};
