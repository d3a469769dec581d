/**
 * The guest portal (issue #14): what a share link opens for someone without an account. Branded
 * with the sharing organisation's name; first its gate (password, address, e-mailed code), then
 * the shared files. The link's token is the whole credential: the page is never indexed, never
 * framed and sends no Referer (security-headers.server.ts); the app's navigation is hidden.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { parseParams, readFormData } from "~/.server/http/validation.server";
import { portalAction, portalPage } from "~/.server/sharing/portal.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { allow } from "~/policy/access";
import { ShareTokenParamsSchema } from "~/schemas/review";
import assetsCss from "~/styles/assets.css?url";
import { ShareGate } from "./gate";
import { SharedFiles } from "./shared-files";

export const access = allow.anonymous(
  "A share's guest portal: the link's token in the path, then the guest session in its cookie, checked by the sharing domain (issue #14).",
);

export const handle = { guestPortal: true };

export { GUEST_PORTAL_INTENTS as intents } from "~/schemas/forms/guest";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.tenant.name} — Kura` : "Kura" },
  { name: "robots", content: "noindex, nofollow, noarchive" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shareToken } = parseParams(params, ShareTokenParamsSchema);
  return { token: shareToken, ...(await portalPage(context, shareToken, request)) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { shareToken } = parseParams(params, ShareTokenParamsSchema);
  return portalAction(context, shareToken, request, await readFormData(request));
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function SharePortal() {
  const data = useLoaderData<typeof loader>();
  if (data.stage === "in") return <SharedFiles token={data.token} tenant={data.tenant} share={data.share} assets={data.assets} />;
  return <ShareGate data={data} />;
}
