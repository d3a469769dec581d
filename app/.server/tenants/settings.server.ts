import { eq } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { tenantSettings } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { ipAllowed, normaliseCidr, parseStoredAllowlist } from "../auth/ip-allowlist.server";
import { readSecrets } from "../env/secrets.server";
import { SharePolicySchema, type SharePolicy } from "~/schemas/review";

type Ctx = AuditContext;

export async function getTenantSettings(ctx: Ctx) {
  const data = await tenantData(ctx);
  const row = await data.db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, data.tenantId)).get();
  return {
    require2fa: row?.require2fa ?? false,
    ipAllowlist: parseStoredAllowlist(row?.ipAllowlist ?? "[]"),
    defaultLocale: row?.defaultLocale ?? "ja",
    timeZone: row?.timeZone ?? null,
    sharePolicy: parseSharePolicy(row?.sharePolicy),
  };
}

/** The stored share policy, its defaults where it says nothing (or holds something unreadable). */
export function parseSharePolicy(json: string | undefined | null): SharePolicy {
  let value: unknown = {};
  try {
    value = JSON.parse(json ?? "{}");
  } catch {
    // the defaults
  }
  const parsed = SharePolicySchema.safeParse(value);
  return parsed.success ? parsed.data : SharePolicySchema.parse({});
}

/** The tenant's share policy, for the domain functions that create and change shares. */
export async function sharePolicyOf(data: TenantData): Promise<SharePolicy> {
  const row = await data.db.select({ sharePolicy: tenantSettings.sharePolicy }).from(tenantSettings).where(eq(tenantSettings.tenantId, data.tenantId)).get();
  return parseSharePolicy(row?.sharePolicy);
}

/** The tenant's default time zone, for answers that carry the user's effective zone (the login response). */
export async function tenantTimeZoneOf(data: TenantData): Promise<string | null> {
  const row = await data.db.select({ timeZone: tenantSettings.timeZone }).from(tenantSettings).where(eq(tenantSettings.tenantId, data.tenantId)).get();
  return row?.timeZone ?? null;
}

/**
 * Requiring 2FA sends every user without it to enrolment, admins included.
 * Without a usable DATA_ENCRYPTION_KEY enrolment answers 503, so nobody
 * could enrol and the tenant would have no admin able to get in (ADR 0024).
 */
function requireTotpEnrolmentPossible(ctx: Ctx): void {
  if (readSecrets(ctx.env).dataEncryptionKey) return;
  fail(
    "conflict",
    "Two-factor authentication cannot be required now: the service cannot enrol authenticators (its encryption key is not configured), so nobody without 2FA could sign in.",
    {
      reason: "totp_unavailable",
    },
  );
}

/**
 * PATCH /tenant/settings. CIDRs are normalised (10.1.2.3/8 -> 10.0.0.0/8);
 * a list that would shut out the very request saving it is refused (409),
 * so an admin cannot lock the tenant out by mistake.
 */
export async function updateTenantSettings(
  ctx: Ctx,
  p: {
    require2fa?: boolean | undefined;
    ipAllowlist?: string[] | undefined;
    defaultLocale?: "ja" | "en" | undefined;
    timeZone?: string | null | undefined;
    sharePolicy?: SharePolicy | undefined;
  },
) {
  const data = await tenantData(ctx);
  let allowlist: string[] | undefined;
  if (p.ipAllowlist !== undefined) {
    const normalised = p.ipAllowlist.map((entry) => normaliseCidr(entry));
    const bad = normalised.flatMap((n, i) =>
      n === null ? [{ path: `ipAllowlist.${i}`, message: "Not an IPv4/IPv6 address or CIDR range.", reason: "cidr_invalid" as const }] : [],
    );
    if (bad.length > 0) fail("validation_failed", "The request body is not valid.", { fields: bad });
    allowlist = [...new Set(normalised as string[])];
    if (allowlist.length > 0 && !ipAllowed(ctx.clientIp, allowlist)) {
      fail("conflict", `This list does not include your own IP address (${ctx.clientIp ?? "unknown"}); saving it would lock you out.`, {
        reason: "ip_lockout",
        params: { ip: ctx.clientIp ?? "unknown" },
      });
    }
  }
  const before = await getTenantSettings(ctx);
  if (p.require2fa === true && !before.require2fa) requireTotpEnrolmentPossible(ctx);
  const changes = {
    ...(p.require2fa !== undefined ? { require2fa: p.require2fa } : {}),
    ...(allowlist !== undefined ? { ipAllowlist: allowlist } : {}),
    ...(p.defaultLocale !== undefined ? { defaultLocale: p.defaultLocale } : {}),
    ...(p.timeZone !== undefined ? { timeZone: p.timeZone } : {}),
    ...(p.sharePolicy !== undefined ? { sharePolicy: SharePolicySchema.parse(p.sharePolicy) } : {}),
  };
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(tenantSettings)
        .set({
          ...(changes.require2fa !== undefined ? { require2fa: changes.require2fa } : {}),
          ...(changes.ipAllowlist !== undefined ? { ipAllowlist: JSON.stringify(changes.ipAllowlist) } : {}),
          ...(changes.defaultLocale !== undefined ? { defaultLocale: changes.defaultLocale } : {}),
          ...(changes.timeZone !== undefined ? { timeZone: changes.timeZone } : {}),
          ...(changes.sharePolicy !== undefined ? { sharePolicy: JSON.stringify(changes.sharePolicy) } : {}),
          updatedAt: new Date().toISOString(),
        })
        .where(eq(tenantSettings.tenantId, data.tenantId)),
    ],
    { action: "settings.updated", target: { type: "tenant", id: data.tenantId, name: data.tenant.name }, details: { before, after: changes } },
  );
  return getTenantSettings(ctx);
}
