// Cookie-authenticated mirror of /api/v1/projects/:projectId/uploads for the browser (ADR 0012): the very same handlers.
export { access, loader, action } from "./api.v1.projects.$projectId.uploads";
