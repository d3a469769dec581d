import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { retryMedia } from "~/.server/media/media.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";
import { MediaStateSchema } from "~/schemas/media";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Make the asset's derived media again (tenant or project admin)",
    description: "Starts a new attempt of a ready or failed job; 409 while one is queued or working.",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 202: { description: "Queued", schema: MediaStateSchema }, 409: { description: "Still processing, or a job is running" } },
  },
});

export const action = methodAction({
  POST: async ({ params, context }) => {
    const { assetId } = parseParams(params, api.POST.params);
    return json(await retryMedia(context, assetId), { status: 202 });
  },
});
