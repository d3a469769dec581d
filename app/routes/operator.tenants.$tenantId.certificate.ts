import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { fail } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { signedCertificate } from "~/.server/offboarding/certificate.server";
import { SigningKeyUnavailable } from "~/.server/offboarding/signing.server";
import { allow } from "~/policy/access";

export const access = allow.operatorConsole();

const ParamsSchema = z.object({ tenantId: z.string().regex(/^tnt_[a-z2-7]{26}$/) });

/** The signed deletion certificate as a file, for the operator to hand to the customer. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, ParamsSchema);
  try {
    const certificate = await signedCertificate(context.env, tenantId);
    if (!certificate) fail("not_found", "No deletion certificate: the tenant is unknown or not purged yet.");
    return new Response(JSON.stringify(certificate, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="kura-deletion-certificate-${certificate.tenantSlug}.json"`,
      },
    });
  } catch (error) {
    if (error instanceof SigningKeyUnavailable) fail("service_unavailable", "The certificate signing key is not configured.");
    throw error;
  }
}
