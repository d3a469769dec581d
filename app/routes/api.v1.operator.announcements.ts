import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { createAnnouncement } from "~/.server/notices/announcements.server";
import { AnnouncementSchema, CreateAnnouncementBodySchema } from "~/schemas/notices";
import { allow } from "~/policy/access";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";

export const access = allow.operator();

export const api = defineApi({
  POST: {
    summary: "Post an announcement (info, maintenance, incident)",
    description:
      "Shown to the addressed tenants' users (GET /notices) and e-mailed to their tenant admins. Without `tenantIds` it " +
      "addresses every tenant and appears on the public status page.",
    tags: ["Operator"],
    body: CreateAnnouncementBodySchema,
    responses: {
      201: { description: "Posted", schema: AnnouncementSchema },
      400: { description: "Invalid body, or a tenant id that is not an active tenant" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, context }) => {
    const input = await parseJsonBody(request, api.POST.body);
    const announcement = await createAnnouncement(context, input);
    context.logger.info("announcement posted", { id: announcement.id, severity: announcement.severity, emailed: announcement.emailed });
    await recordOperatorAction(context, {
      action: "announcement.created",
      targetType: "announcement",
      targetId: announcement.id,
      details: { severity: announcement.severity, tenants: announcement.tenantIds?.length ?? "all", emailed: announcement.emailed },
    });
    return json(announcement, { status: 201 });
  },
});
