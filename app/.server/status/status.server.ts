import { and, desc, isNull, or, gt } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { controlDb } from "../db/control.server";
import { announcements } from "../db/control-schema";
import { allShardDatabases } from "../db/tenant-data.server";
import { readSecrets } from "../env/secrets.server";
import { transcoderConfigured, transcoderHealth } from "../media/transcoder-client.server";

export type ComponentState = "operational" | "degraded" | "outage";
export type ComponentStatus = { name: string; status: ComponentState; latencyMs: number; detail?: string };
export type Notice = { id: string; severity: "info" | "maintenance" | "incident"; title: string; body: string; createdAt: string; endsAt: string | null };
export type ServiceStatus = {
  status: ComponentState;
  checkedAt: string;
  components: ComponentStatus[];
  notices: Notice[];
};

/** A live check of one component: resolves when healthy, throws otherwise. */
export type Probe = { name: string; check: () => Promise<void> };

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

async function runProbe(probe: Probe, timeoutMs: number): Promise<ComponentStatus> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      probe.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeout(timeoutMs)), timeoutMs);
      }),
    ]);
    return { name: probe.name, status: "operational", latencyMs: Date.now() - started };
  } catch (error) {
    // The public page says only that it failed and how, never internals.
    const detail = error instanceof ProbeTimeout ? "timeout" : "error";
    return { name: probe.name, status: "degraded", latencyMs: Date.now() - started, detail };
  } finally {
    clearTimeout(timer);
  }
}

export function overallState(components: ComponentStatus[]): ComponentState {
  if (components.length > 0 && components.every((c) => c.status !== "operational")) return "outage";
  return components.some((c) => c.status !== "operational") ? "degraded" : "operational";
}

/** Probes for the real bindings (both D1 planes, both buckets, the audit DO) and the secrets. */
export function platformProbes(env: KuraEnv): Probe[] {
  return [
    {
      name: "database",
      check: async () => {
        await env.CONTROL_DB.prepare("SELECT 1").first();
        const shards = await allShardDatabases(env);
        if (shards.length === 0) throw new Error("no tenant-data shard configured");
        await Promise.all(shards.map((s) => s.db.prepare("SELECT 1").first()));
      },
    },
    {
      name: "storage",
      check: async () => {
        await env.ASSETS.head("health/probe");
      },
    },
    {
      name: "backups",
      check: async () => {
        await env.BACKUPS.head("health/probe");
        // Degraded while some tenant's newest backup run failed (ADR 0025), until one succeeds.
        const failed = await env.CONTROL_DB.prepare(
          `SELECT 1 FROM backup_runs f WHERE f.status = 'failed'
             AND NOT EXISTS (SELECT 1 FROM backup_runs c WHERE c.tenant_id = f.tenant_id AND c.status = 'complete' AND c.started_at > f.started_at) LIMIT 1`,
        ).first();
        if (failed) throw new Error("a tenant's latest backup failed");
      },
    },
    {
      name: "audit_log",
      check: async () => {
        const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName("health/probe"));
        const answer = await stub.ping();
        if (answer.ok !== true) throw new Error("audit log did not answer");
      },
    },
    // The transcoder, where one is configured (a missing one is a configuration problem in production).
    ...(transcoderConfigured(env)
      ? [
          {
            name: "media_processing",
            check: async () => {
              const health = await transcoderHealth(env, 5_000);
              if (!health?.ok) throw new Error(`transcoder ${health?.detail ?? "unavailable"}`);
            },
          },
        ]
      : []),
    {
      // Names no secret and no problem publicly: the Worker logs which, once per isolate.
      name: "configuration",
      check: async () => {
        if (readSecrets(env).problems.length > 0) throw new Error("configuration problems");
      },
    },
  ];
}

async function publicNotices(env: KuraEnv): Promise<Notice[]> {
  const nowIso = new Date().toISOString();
  const rows = await controlDb(env)
    .select()
    .from(announcements)
    // Addressed to everyone: a tenant's own announcements are not public.
    .where(and(isNull(announcements.tenantIds), or(isNull(announcements.endsAt), gt(announcements.endsAt, nowIso))))
    .orderBy(desc(announcements.createdAt))
    .limit(20)
    .all();
  return rows.map((r) => ({ id: r.id, severity: r.severity, title: r.title, body: r.body, createdAt: r.createdAt, endsAt: r.endsAt }));
}

/** Checks every probe concurrently, each under its own timeout. Never throws. */
export async function checkServiceStatus(env: KuraEnv, options: { timeoutMs: number; probes?: Probe[] }): Promise<ServiceStatus> {
  const probes = options.probes ?? platformProbes(env);
  const [components, notices] = await Promise.all([
    Promise.all(probes.map((p) => runProbe(p, options.timeoutMs))),
    publicNotices(env).catch(() => [] as Notice[]),
  ]);
  return { status: overallState(components), checkedAt: new Date().toISOString(), components, notices };
}
