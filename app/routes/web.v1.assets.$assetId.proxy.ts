// Cookie-authenticated mirror of /api/v1/assets/:assetId/proxy for the browser (ADR 0012): the very same handlers.
export { access, loader } from "./api.v1.assets.$assetId.proxy";
