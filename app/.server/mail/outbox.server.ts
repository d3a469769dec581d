import { desc, eq } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { emailOutbox } from "../db/control-schema";

/** GET /operator/outbox: every e-mail the service has sent, newest first. */
export async function listOutbox(env: KuraEnv, p: { to?: string | undefined; limit: number }) {
  const rows = await controlDb(env)
    .select()
    .from(emailOutbox)
    .where(p.to ? eq(emailOutbox.to, p.to) : undefined)
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(p.limit)
    .all();
  return rows.map((m) => ({ to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt }));
}
