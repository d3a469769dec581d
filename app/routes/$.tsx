import { allow } from "~/policy/access";

export const access = allow.anonymous("Unknown pages answer 404 through the root error boundary.");

export function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}
