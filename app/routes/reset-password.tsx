import type { ActionFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { setPasswordAction, setPasswordLoader } from "~/.server/ui/set-password.server";
import { SetPasswordPage } from "~/components/set-password-form";
import { titleFor } from "~/i18n/meta";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Password reset from an e-mailed link; the single-use token in the link authorises it.");

export const meta: MetaFunction = ({ matches }) => [...titleFor(matches, "reset.title"), { name: "referrer", content: "no-referrer" }];

export const loader = setPasswordLoader;

export function action(args: ActionFunctionArgs) {
  return setPasswordAction(args, "reset");
}

export default function ResetPasswordPage() {
  return <SetPasswordPage mode="reset" />;
}
