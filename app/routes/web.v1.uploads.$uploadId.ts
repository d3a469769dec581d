// Cookie-authenticated mirror of /api/v1/uploads/:uploadId for the browser (ADR 0012): the very same handlers.
export { access, loader, action } from "./api.v1.uploads.$uploadId";
