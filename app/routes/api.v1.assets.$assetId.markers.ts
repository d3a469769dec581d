import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { createMarker, listMarkers } from "~/.server/review/markers.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";
import { CreateMarkerBodySchema, MarkerSchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The asset's markers, by start frame, each with its replies (asset.view)",
    tags: ["Review"],
    params: AssetParamsSchema,
    responses: { 200: { description: "Markers", schema: z.object({ items: z.array(MarkerSchema) }) } },
  },
  POST: {
    summary: "Add a point or range marker, with optional shapes (marker.edit)",
    description:
      "Frames are integers from the asset's first frame at its frame rate (returned as `rate`); a still has frame 0 only. " +
      "Shapes are normalised to the picture (0..1 from the top left), `version` 1: rect, ellipse, arrow, freehand. " +
      "Limits: 1000 markers and replies per asset (409 beyond), 2000 characters, 20 shapes, 500 points a stroke, 2000 a marker.",
    tags: ["Review"],
    params: AssetParamsSchema,
    body: CreateMarkerBodySchema,
    responses: { 201: { description: "Created", schema: MarkerSchema }, 409: { description: "The asset has no timeline, or holds the most markers" } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  const { items } = await listMarkers(context, assetId);
  return json({ items });
}

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { assetId } = parseParams(params, api.POST.params);
    return json(await createMarker(context, assetId, await parseJsonBody(request, api.POST.body)), { status: 201 });
  },
});
