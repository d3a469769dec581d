import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { NoticeSchema } from "~/schemas/notices";
import { json } from "~/.server/http/errors.server";
import { checkServiceStatus } from "~/.server/status/status.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Public service status; it names components, never tenants.");

const StateSchema = z.enum(["operational", "degraded", "outage"]);
export const StatusResponseSchema = z.object({
  status: StateSchema,
  checkedAt: z.string(),
  components: z.array(z.object({ name: z.string(), status: StateSchema, latencyMs: z.number(), detail: z.string().optional() })),
  notices: z.array(NoticeSchema).describe("Current announcements addressed to everyone."),
});

export const api = defineApi({
  GET: {
    summary: "Service status, each component checked live",
    tags: ["Public"],
    responses: { 200: { description: "Current status (200 even when degraded)", schema: StatusResponseSchema } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  const status = await checkServiceStatus(context.env, { timeoutMs: context.config.statusCheckTimeoutMs });
  return json(status);
}
