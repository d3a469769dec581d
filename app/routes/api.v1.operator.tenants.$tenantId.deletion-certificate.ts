import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { requireSignedCertificate } from "~/.server/offboarding/certificate.server";
import { DeletionCertificateSchema } from "~/schemas/offboarding";
import { TenantIdParamsSchema } from "~/schemas/tenant";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "A purged tenant's deletion certificate",
    description:
      "What the purge deleted and the honest windows (ADR 0026), signed with the operator signing key (Ed25519) so the " +
      "customer can verify it: the signature covers `body`, whose JSON is the certificate's fields.",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    responses: {
      200: { description: "The signed certificate", schema: DeletionCertificateSchema },
      404: { description: "No such tenant, or not purged yet" },
      503: { description: "The signing key (CERTIFICATE_SIGNING_KEY) is not configured" },
    },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, api.GET.params);
  return json(await requireSignedCertificate(context.env, tenantId));
}
