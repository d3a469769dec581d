import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { parseParams } from "~/.server/http/validation.server";
import { requireSignedCertificate } from "~/.server/offboarding/certificate.server";
import { allow } from "~/policy/access";

export const access = allow.operatorConsole();

const ParamsSchema = z.object({ tenantId: z.string().regex(/^tnt_[a-z2-7]{26}$/) });

/** The signed deletion certificate as a file, for the operator to hand to the customer. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, ParamsSchema);
  const certificate = await requireSignedCertificate(context.env, tenantId);
  return new Response(JSON.stringify(certificate, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="kura-deletion-certificate-${certificate.tenantSlug}.json"`,
    },
  });
}
