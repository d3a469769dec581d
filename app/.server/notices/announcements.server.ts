import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { announcements, tenants } from "../db/control-schema";
import { users } from "../db/tenant-schema";
import { systemTenantData } from "../db/tenant-data.server";
import type { KuraEnv } from "../env/env";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { sendMail, type MailContext } from "../mail/mail.server";
import type { CreateAnnouncementInput } from "~/schemas/notices";

/**
 * Operator announcements (info, maintenance, incident): addressed to some tenants or to all (then
 * also shown on the public status page), shown to the addressed tenants' users (`GET /notices`)
 * and e-mailed to their tenant admins. Control-plane data only: no customer content.
 */

const notEnded = (nowIso: string) => or(isNull(announcements.endsAt), gt(announcements.endsAt, nowIso));

export async function createAnnouncement(ctx: MailContext, input: CreateAnnouncementInput) {
  const db = controlDb(ctx.env);
  const active = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.status, "active")).all();
  const activeIds = new Set(active.map((t) => t.id));
  const unknown = (input.tenantIds ?? []).filter((id) => !activeIds.has(id));
  if (unknown.length > 0) fail("bad_request", `No active tenant with id ${unknown.join(", ")}.`);
  const row = {
    id: newId("announcement"),
    severity: input.severity,
    title: input.title,
    body: input.body,
    tenantIds: input.tenantIds ? JSON.stringify(input.tenantIds) : null,
    createdAt: new Date().toISOString(),
    endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
  };
  await db.insert(announcements).values(row).run();
  let emailed = 0;
  for (const tenantId of input.tenantIds ?? [...activeIds]) emailed += await mailTenantAdmins(ctx, tenantId, row);
  return { ...row, tenantIds: input.tenantIds ?? null, emailed };
}

async function mailTenantAdmins(ctx: MailContext, tenantId: string, a: { severity: string; title: string; body: string }): Promise<number> {
  const data = await systemTenantData(ctx.env, tenantId);
  if (!data) return 0;
  const admins = await data.db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.tenantRole, "tenant_admin"), eq(users.status, "active")))
    .all();
  for (const admin of admins) {
    await sendMail(ctx, { to: admin.email, subject: `[Kura ${a.severity}] ${a.title}`, text: a.body, tenantId });
  }
  return admins.length;
}

/** The announcements addressed to a tenant (or to all) that have not ended, newest first. */
export async function noticesFor(env: KuraEnv, tenantId: string) {
  const rows = await controlDb(env)
    .select()
    .from(announcements)
    .where(
      and(
        notEnded(new Date().toISOString()),
        or(isNull(announcements.tenantIds), sql`EXISTS (SELECT 1 FROM json_each(${announcements.tenantIds}) WHERE value = ${tenantId})`),
      ),
    )
    .orderBy(desc(announcements.createdAt))
    .limit(50)
    .all();
  return rows.map(({ id, severity, title, body, createdAt, endsAt }) => ({ id, severity, title, body, createdAt, endsAt }));
}
