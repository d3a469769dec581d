import { desc, eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { backupRuns, deletionCertificates, emailOutbox, quotaWarnings, shareLinkIndex, tenants, usageSnapshots } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import { rowsCounted, type PurgeState } from "./purge.server";
import { fail } from "../http/errors.server";
import { signingKey, SigningKeyUnavailable, signText } from "./signing.server";

/** Platform point-in-time history (D1 Time Travel, Durable Object recovery) on Workers Paid (ADR 0026). */
export const PLATFORM_HISTORY_DAYS = 30;

/** What a deletion certificate says; the JSON of this object, as stored, is what is signed. */
export type CertificateBody = {
  kind: "kura.deletion-certificate";
  version: 1;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  terminatedAt: string | null;
  purgeStartedAt: string;
  purgedAt: string;
  deleted: { rows: number; objects: number; bytes: number; backups: number; auditEvents: number };
  details: { rowsByTable: Record<string, number>; backupObjects: number; backupBytes: number; uploadsAborted: number };
  windows: {
    /** Live data: gone from D1, R2 and the audit log's Durable Object. */
    liveDataDeletedAt: string;
    /** The tenant's data key was destroyed: every backup copy, wherever it survives, is unreadable since. */
    backupsUnreadableSince: string;
    backupsDeletedAt: string;
    /** After this, no platform recovery window holds anything of the tenant. */
    platformHistoryExpiresBy: string;
  };
};

/** The fields, plus `body`: the exact signed text (the same fields as JSON), for a verifier. */
export type SignedCertificate = CertificateBody & {
  body: string;
  signature: { algorithm: "Ed25519"; keyId: string; publicKey: string; value: string };
};

/**
 * The purge's last step: the certificate is written, and the control plane keeps only contract facts
 * (id, slug, name, dates, quota): the admin contact, the tenant's e-mails in the outbox, its
 * backup records, usage snapshots and quota warning state go. One batch, so a purged record always has its certificate.
 */
export async function finishPurge(env: KuraEnv, state: PurgeState, at = new Date()): Promise<CertificateBody> {
  const db = controlDb(env);
  const tenant = await db.select().from(tenants).where(eq(tenants.id, state.tenantId)).get();
  if (!tenant) throw new Error(`no tenant ${state.tenantId}`);
  const existing = await db.select().from(deletionCertificates).where(eq(deletionCertificates.tenantId, state.tenantId)).get();
  if (existing) return JSON.parse(existing.body) as CertificateBody;
  const purgedAt = at.toISOString();
  const body: CertificateBody = {
    kind: "kura.deletion-certificate",
    version: 1,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    tenantName: tenant.name,
    terminatedAt: tenant.terminatedAt,
    purgeStartedAt: state.startedAt,
    purgedAt,
    deleted: {
      rows: rowsCounted(state.counts),
      objects: state.counts.objects,
      bytes: state.counts.bytes,
      backups: state.counts.backups,
      auditEvents: state.counts.auditEvents,
    },
    details: {
      rowsByTable: state.counts.rowsByTable,
      backupObjects: state.counts.backupObjects,
      backupBytes: state.counts.backupBytes,
      uploadsAborted: state.counts.uploadsAborted,
    },
    windows: {
      liveDataDeletedAt: purgedAt,
      backupsUnreadableSince: state.keyDestroyedAt ?? state.startedAt,
      backupsDeletedAt: purgedAt,
      platformHistoryExpiresBy: new Date(at.getTime() + PLATFORM_HISTORY_DAYS * 86_400_000).toISOString(),
    },
  };
  await db.batch([
    db.insert(deletionCertificates).values({ tenantId: tenant.id, purgedAt, body: JSON.stringify(body) }),
    db.delete(backupRuns).where(eq(backupRuns.tenantId, tenant.id)),
    db.delete(emailOutbox).where(eq(emailOutbox.tenantId, tenant.id)),
    db.delete(usageSnapshots).where(eq(usageSnapshots.tenantId, tenant.id)),
    db.delete(quotaWarnings).where(eq(quotaWarnings.tenantId, tenant.id)),
    db.delete(shareLinkIndex).where(eq(shareLinkIndex.tenantId, tenant.id)),
    db.update(tenants).set({ status: "purged", purgedAt, adminEmail: "", usageBytes: 0, usageAssets: 0 }).where(eq(tenants.id, tenant.id)),
  ]);
  return body;
}

/** The issued certificates, newest first: for the console's list (the facts only; the signed file is per tenant). */
export async function listCertificates(env: KuraEnv, limit = 200): Promise<Pick<CertificateBody, "tenantId" | "tenantSlug" | "purgedAt" | "deleted">[]> {
  const rows = await controlDb(env).select().from(deletionCertificates).orderBy(desc(deletionCertificates.purgedAt)).limit(limit).all();
  return rows.map((r) => {
    const body = JSON.parse(r.body) as CertificateBody;
    return { tenantId: body.tenantId, tenantSlug: body.tenantSlug, purgedAt: body.purgedAt, deleted: body.deleted };
  });
}

/** The stored certificate, signed; null before the purge. Throws SigningKeyUnavailable without a key. */
export async function signedCertificate(env: KuraEnv, tenantId: string): Promise<SignedCertificate | null> {
  const row = await controlDb(env).select().from(deletionCertificates).where(eq(deletionCertificates.tenantId, tenantId)).get();
  if (!row) return null;
  const key = await signingKey(env);
  const value = await signText(key, row.body);
  return {
    ...(JSON.parse(row.body) as CertificateBody),
    body: row.body,
    signature: { algorithm: "Ed25519", keyId: key.keyId, publicKey: key.publicKey, value },
  };
}

/** For the API and the console: the signed certificate, or 404 before the purge, or 503 without a signing key. */
export async function requireSignedCertificate(env: KuraEnv, tenantId: string): Promise<SignedCertificate> {
  let certificate: SignedCertificate | null;
  try {
    certificate = await signedCertificate(env, tenantId);
  } catch (error) {
    if (error instanceof SigningKeyUnavailable) fail("service_unavailable", "The certificate signing key is not configured.");
    throw error;
  }
  if (!certificate) fail("not_found", "No deletion certificate: the tenant is unknown or not purged yet.");
  return certificate;
}
