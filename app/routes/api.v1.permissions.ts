import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { capabilityLabel } from "~/i18n/labels";
import { CAPABILITIES } from "~/policy/capabilities";
import { PermissionSchema } from "~/schemas/admin";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "The capability catalog that project roles are built from",
    tags: ["Tenant administration"],
    responses: { 200: { description: "Capabilities", schema: z.object({ items: z.array(PermissionSchema) }) } },
  },
});

export function loader() {
  return json({
    items: CAPABILITIES.map((key) => ({
      key,
      description: capabilityLabel(key, "en"),
      descriptionJa: capabilityLabel(key, "ja"),
    })),
  });
}
