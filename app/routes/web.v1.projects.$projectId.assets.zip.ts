// Cookie-authenticated mirror of /api/v1/projects/:projectId/assets/zip for the browser (ADR 0012): the very same handlers.
export { access, action } from "./api.v1.projects.$projectId.assets.zip";
