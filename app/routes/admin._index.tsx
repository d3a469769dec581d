/** The admin overview: storage usage against the quota, per project and over the last 30 days. */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { usageReport } from "~/.server/assets/usage.server";
import { tenantData } from "~/.server/db/tenant-data.server";
import { UsageWidget } from "~/components/assets/usage";
import { RouteErrorBoundary } from "~/components/route-error";
import { AdminNav } from "~/components/subnav";
import { titleFor } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import assetsCss from "~/styles/assets.css?url";

export const access = allow.tenantAdmin();

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

export const meta: MetaFunction = ({ matches }) => titleFor(matches, "usage.title");

const HISTORY_DAYS = 30;

export async function loader({ context }: LoaderFunctionArgs) {
  return { usage: await usageReport(context.env, await tenantData(context), HISTORY_DAYS) };
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

export default function AdminIndex() {
  const t = useT();
  const { usage } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("usage.title")}</h1>
      <AdminNav />
      <UsageWidget usage={usage} />
    </>
  );
}
