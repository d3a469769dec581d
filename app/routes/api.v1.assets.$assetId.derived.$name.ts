import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { parseParams } from "~/.server/http/validation.server";
import { serveDerived } from "~/.server/media/media.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { DerivedParamsSchema } from "~/schemas/media";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "A derived still or data: poster, filmstrip sprite, waveform peaks or still preview (asset.view)",
    tags: ["Assets"],
    params: DerivedParamsSchema,
    responses: { 200: { description: "The object", contentType: "image/jpeg" }, 404: { description: "Not made (yet)" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { assetId, name } = parseParams(params, api.GET.params);
  return serveDerived(context, assetId, name, request);
}
