import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { getTenantSettings, updateTenantSettings } from "~/.server/tenants/settings.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { TenantSettingsSchema, UpdateTenantSettingsBodySchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Tenant security settings",
    tags: ["Tenant administration"],
    responses: { 200: { description: "Settings", schema: TenantSettingsSchema } },
  },
  PATCH: {
    summary: "Require 2FA, set the IP allow-list or the default time zone",
    description:
      "With a non-empty allow-list, tenant users' requests from other IPs (CF-Connecting-IP) get 403 ip_not_allowed, " +
      "login included. A list that excludes the IP of the request saving it is refused with 409.",
    tags: ["Tenant administration"],
    body: UpdateTenantSettingsBodySchema,
    responses: { 200: { description: "Settings", schema: TenantSettingsSchema }, 409: { description: "Would lock you out" } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  return json(await getTenantSettings(context));
}

export const action = methodAction({
  PATCH: async ({ request, context }) => {
    const body = await parseJsonBody(request, api.PATCH.body);
    return json(await updateTenantSettings(context, body));
  },
});
