import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { listApprovals } from "~/.server/review/approvals.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";
import { ApprovalSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Share guests' verdicts on the asset (approved / needs changes), newest first (asset.view)",
    tags: ["Review"],
    params: AssetParamsSchema,
    responses: { 200: { description: "Verdicts", schema: z.object({ items: z.array(ApprovalSchema) }) } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return json({ items: await listApprovals(context, assetId) });
}
