import { desc, eq } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { emailOutbox } from "../db/control-schema";
import { recordOperatorAction } from "../operator/operator-audit.server";
import type { Principal } from "~/policy/access";

/**
 * The sent mail as an operator reads it (the API and the console): the read is recorded in the
 * operator audit log first, with its filter, since mail names people of the tenants.
 */
export async function readOutbox(
  ctx: { env: KuraEnv; principal: Principal; clientIp: string | null },
  p: { to?: string | undefined; limit: number },
): Promise<Awaited<ReturnType<typeof listOutbox>>> {
  await recordOperatorAction(ctx, { action: "outbox.viewed", details: { to: p.to ?? null, limit: p.limit } });
  return listOutbox(ctx.env, p);
}

/** Every e-mail the service has sent, newest first (the development mailbox reads it unrecorded). */
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
