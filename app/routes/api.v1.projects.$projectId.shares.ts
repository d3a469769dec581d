import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { listProjectShares } from "~/.server/sharing/shares.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectParamsSchema } from "~/schemas/assets";
import { ShareSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The project's shares, newest first, with state and per-link counters (share.create)",
    tags: ["Review"],
    params: ProjectParamsSchema,
    responses: { 200: { description: "Shares", schema: z.object({ items: z.array(ShareSchema) }) } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json({ items: await listProjectShares(context, projectId) });
}
