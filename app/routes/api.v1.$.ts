import { apiError } from "~/.server/http/errors.server";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Answers unknown API paths with the contract's 404.");

const notFound = () => apiError("not_found", "No such API endpoint.");

export const loader = notFound;
export const action = notFound;
