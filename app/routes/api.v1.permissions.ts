import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS } from "~/policy/capabilities";
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
      description: CAPABILITY_DESCRIPTIONS[key].en,
      descriptionJa: CAPABILITY_DESCRIPTIONS[key].ja,
    })),
  });
}
