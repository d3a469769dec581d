import { z } from "zod";

export const TerminateResponseSchema = z.object({
  status: z.literal("terminated"),
  terminatedAt: z.string(),
  purgeAfter: z.string().describe("When the purge may start: termination plus the configured grace period (0 days in local development)."),
});

export const PurgeJobResponseSchema = z.object({
  purged: z.array(z.string()).describe("Tenants purged by this run: each now has a deletion certificate."),
  pending: z.array(z.string()).describe("Due tenants whose purge could not finish now (a step failed, or a backup of it was running): it resumes by itself."),
});

const Counts = z.object({
  rows: z.number().int(),
  objects: z.number().int(),
  bytes: z.number().int(),
  backups: z.number().int(),
  auditEvents: z.number().int(),
});

export const DeletionCertificateSchema = z.object({
  kind: z.literal("kura.deletion-certificate"),
  version: z.literal(1),
  tenantId: z.string(),
  tenantSlug: z.string(),
  tenantName: z.string(),
  terminatedAt: z.string().nullable(),
  purgeStartedAt: z.string(),
  purgedAt: z.string(),
  deleted: Counts.describe(
    "What existed and was deleted: tenant-data rows, stored objects (originals and derived) and their bytes, backup generations, audit events.",
  ),
  details: z.object({
    rowsByTable: z.record(z.string(), z.number().int()),
    backupObjects: z.number().int(),
    backupBytes: z.number().int(),
    uploadsAborted: z.number().int(),
  }),
  windows: z
    .object({
      liveDataDeletedAt: z.string(),
      backupsUnreadableSince: z.string().describe("The tenant's data key was destroyed: every backup copy anywhere is unreadable since."),
      backupsDeletedAt: z.string(),
      platformHistoryExpiresBy: z.string().describe("Platform point-in-time history (D1 Time Travel, Durable Object recovery) has expired by then."),
    })
    .describe("ADR 0026: what 'physically deleted' means on D1, R2 and Durable Objects."),
  body: z.string().describe("The exact text that is signed: the certificate's fields as JSON."),
  signature: z.object({
    algorithm: z.literal("Ed25519"),
    keyId: z.string(),
    publicKey: z.string().describe("The operator signing key's public half (base64url), as published on the status page."),
    value: z.string().describe("Ed25519 signature of `body` (its UTF-8 bytes), base64url."),
  }),
});
