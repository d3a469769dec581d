import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { defineApi } from "~/api/operations";
import { usageOverview } from "~/.server/usage/snapshots.server";
import { UsageOverviewSchema } from "~/schemas/usage-operator";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "Every active tenant's storage usage and quota",
    description: "Fullest first. Numbers only: no names of projects or assets.",
    tags: ["Operator"],
    responses: { 200: { description: "The tenants' usage", schema: UsageOverviewSchema } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ items: await usageOverview(context.env) });
}
