import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { announcements, tenants } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import type { MailContext } from "../mail/mail.server";
import { mailTenantAdmins } from "./tenant-admins.server";
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
  for (const tenantId of input.tenantIds ?? [...activeIds]) {
    emailed += await mailTenantAdmins(ctx, tenantId, (admin) => ({
      to: admin.email,
      subject: `[Kura ${row.severity}] ${row.title}`,
      text: row.body,
      tenantId,
    }));
  }
  return { ...row, tenantIds: input.tenantIds ?? null, emailed };
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

/** The public status page's history: incidents addressed to everyone from the last `days` days, ended or not, newest first. */
export async function incidentHistory(env: KuraEnv, days = 90, at = new Date()) {
  const since = new Date(at.getTime() - days * 86_400_000).toISOString();
  const rows = await controlDb(env)
    .select()
    .from(announcements)
    .where(and(isNull(announcements.tenantIds), eq(announcements.severity, "incident"), gt(announcements.createdAt, since)))
    .orderBy(desc(announcements.createdAt))
    .limit(100)
    .all();
  return rows.map(({ id, severity, title, body, createdAt, endsAt }) => ({
    id,
    severity,
    title,
    body,
    createdAt,
    endsAt,
    ongoing: !endsAt || endsAt > at.toISOString(),
  }));
}

/** Every announcement for the operator console, newest first (ended ones too). */
export async function listAnnouncements(env: KuraEnv, limit = 100) {
  const rows = await controlDb(env).select().from(announcements).orderBy(desc(announcements.createdAt)).limit(limit).all();
  return rows.map((r) => ({ ...r, tenantIds: r.tenantIds ? (JSON.parse(r.tenantIds) as string[]) : null }));
}
