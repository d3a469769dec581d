import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { clearOperatorCookie, consoleOperator, endConsoleSession } from "~/.server/operator/console-auth.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Ends whatever operator console session or sign-in the browser's cookie holds; it reads nothing.");

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await consoleOperator(context.env, request);
  await endConsoleSession(context.env, request);
  if (account)
    await recordOperatorAction({ env: context.env, principal: { type: "operator", account }, clientIp: context.clientIp }, { action: "operator.signed_out" });
  throw redirect("/operator/login", { headers: { "Set-Cookie": clearOperatorCookie(new URL(request.url).protocol === "https:") } });
}

export function loader() {
  return redirect("/operator/login");
}
