import { redirect } from "@remix-run/cloudflare";
import { allow } from "~/policy/access";

export const access = allow.tenantAdmin();

export function loader() {
  return redirect("/admin/users");
}

export default function AdminIndex() {
  return null;
}
