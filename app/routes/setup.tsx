import type { ActionFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { setPasswordAction, setPasswordLoader } from "~/.server/ui/set-password.server";
import { SetPasswordPage } from "~/components/set-password-form";
import { titleFor } from "~/i18n/meta";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Invited users set their first password here; the single-use token in the link authorises it.");

export const meta: MetaFunction = ({ matches }) => [...titleFor(matches, "setup.title"), { name: "referrer", content: "no-referrer" }];

export const loader = setPasswordLoader;

export function action(args: ActionFunctionArgs) {
  return setPasswordAction(args, "setup");
}

export default function SetupPage() {
  return <SetPasswordPage mode="setup" />;
}
