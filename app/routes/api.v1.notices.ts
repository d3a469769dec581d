import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { tenantData } from "~/.server/db/tenant-data.server";
import { noticesFor } from "~/.server/notices/announcements.server";
import { defineApi } from "~/api/operations";
import { NoticeListSchema } from "~/schemas/notices";
import { allow } from "~/policy/access";

export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "The operator's announcements addressed to your tenant that have not ended, newest first",
    tags: ["Audit, usage, notices"],
    responses: { 200: { description: "Notices", schema: NoticeListSchema } },
  },
});

export async function loader({ context }: LoaderFunctionArgs) {
  const { tenantId } = await tenantData(context);
  return json({ items: await noticesFor(context.env, tenantId) });
}
