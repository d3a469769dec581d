import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { json } from "~/.server/http/errors.server";
import { parseQuery } from "~/.server/http/validation.server";
import { readOutbox } from "~/.server/mail/outbox.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { OutboxItemSchema, OutboxQuerySchema } from "~/schemas/admin";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "E-mails the service has sent, newest first",
    description:
      "In development mail goes only here. In production it also goes to the provider, and the stored copy has " +
      "its setup and reset links blanked, so the outbox never lets an operator take over an account. " +
      "Every read is recorded in the operator audit log (outbox.viewed, with the filter).",
    tags: ["Operator"],
    query: OutboxQuerySchema,
    responses: { 200: { description: "Mail", schema: z.object({ items: z.array(OutboxItemSchema) }) } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = parseQuery(request, api.GET.query);
  return json({ items: await readOutbox(context, query) });
}
