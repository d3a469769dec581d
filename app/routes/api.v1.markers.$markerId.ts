import { json, noContent } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { deleteMarker, updateMarker } from "~/.server/review/markers.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { MarkerParamsSchema, MarkerSchema, UpdateMarkerBodySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  PATCH: {
    summary: "Change a marker or reply",
    description:
      "`resolved`: anyone with marker.edit. Frames, text, colour and shapes (`null` removes them; `endFrame: null` makes a point): " +
      "the author, or a project admin. A reply has only its text. Answers the whole marker with its replies.",
    tags: ["Review"],
    params: MarkerParamsSchema,
    body: UpdateMarkerBodySchema,
    responses: { 200: { description: "The marker", schema: MarkerSchema } },
  },
  DELETE: {
    summary: "Delete a marker with its replies, or one reply (the author, or a project admin)",
    tags: ["Review"],
    params: MarkerParamsSchema,
    responses: { 204: { description: "Deleted" } },
  },
});

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { markerId } = parseParams(params, api.PATCH.params);
    return json(await updateMarker(context, markerId, await parseJsonBody(request, api.PATCH.body)));
  },
  DELETE: async ({ params, context }) => {
    const { markerId } = parseParams(params, api.DELETE.params);
    await deleteMarker(context, markerId);
    return noContent();
  },
});
