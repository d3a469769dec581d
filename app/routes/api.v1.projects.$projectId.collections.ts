import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { listCollections } from "~/.server/review/collections.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { ProjectParamsSchema } from "~/schemas/assets";
import { CollectionSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The project's collections, by name, with their asset counts (asset.view)",
    tags: ["Review"],
    params: ProjectParamsSchema,
    responses: { 200: { description: "Collections", schema: z.object({ items: z.array(CollectionSchema) }) } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, api.GET.params);
  return json({ items: await listCollections(context, projectId) });
}
