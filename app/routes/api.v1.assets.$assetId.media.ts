import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { mediaState } from "~/.server/media/media.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { AssetParamsSchema } from "~/schemas/assets";
import { MediaStateSchema } from "~/schemas/media";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The asset's derived media (proxy, poster, filmstrip, waveform, preview) and the state of the job that makes them (asset.view)",
    tags: ["Assets"],
    params: AssetParamsSchema,
    responses: { 200: { description: "Media state", schema: MediaStateSchema } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { assetId } = parseParams(params, api.GET.params);
  return json(await mediaState(context, assetId));
}
