/**
 * The daily backup as the platform runs it (issue #12, ADR 0025): the real cron expression starts
 * every active tenant's run in its TenantJobs object, whose alarms carry it to the end; three days
 * leave exactly the newest two generations, a second run on a day replaces that day's, and a run
 * that fails half-way leaves the complete generations as they were. The operator endpoint runs
 * the same code and waits for it.
 */
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DAILY_BACKUP_CRON } from "~/.server/backups/backup-job.server";
import { listGenerations } from "~/.server/backups/generations.server";
import type { KuraEnv } from "~/.server/env/env";
import { setFaultHook } from "~/.server/testing/faults.server";
import { call, kura, operator } from "../../support/http";
import { drainJobs, fireCron } from "../../support/jobs";
import { shardOf } from "../../support/shards";
import { auditTail, PASSWORD } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;
const tenants: { id: string; token: string }[] = [];

beforeAll(async () => {
  for (const slug of ["gen-one", "gen-two"]) {
    const t = await kura.createTenant({ slug, password: PASSWORD });
    const projectId = await kura.createProject(t.admin.token, `プロジェクト ${slug}`);
    await kura.uploadAsset(t.admin.token, projectId, `${slug}.mov`, `bytes of ${slug}`);
    tenants.push({ id: t.id, token: t.admin.token });
  }
}, 60_000);

afterEach(() => setFaultHook(null));

/** The daily trigger at `day` 18:00 UTC, then each tenant's alarms until its run is over. */
async function dailyBackup(day: string) {
  await fireCron(DAILY_BACKUP_CRON, new Date(`${day}T18:00:00Z`));
  for (const t of tenants) await drainJobs(t.id);
}

/** The run folders that exist in BACKUPS for a tenant: `<generation>/<runId>`. */
async function storedRuns(tenantId: string): Promise<string[]> {
  const listed = await env.BACKUPS.list({ prefix: `backups/${tenantId}/` });
  return [...new Set(listed.objects.map((o) => o.key.split("/").slice(2, 4).join("/")))].sort();
}

describe("the daily backup", () => {
  it("keeps exactly the newest two generations after three days, each complete", async () => {
    await dailyBackup("2026-12-01");
    await dailyBackup("2026-12-02");
    await dailyBackup("2026-12-03");
    for (const t of tenants) {
      const generations = await listGenerations(kuraEnv, t.id);
      expect(generations.map((g) => g.generation)).toEqual(["2026-12-03", "2026-12-02"]);
      expect(await storedRuns(t.id)).toEqual(generations.map((g) => `${g.generation}/${g.runId}`).sort());
      const runs = await env.CONTROL_DB.prepare("SELECT status FROM backup_runs WHERE tenant_id = ?").bind(t.id).all();
      expect(runs.results).toEqual([{ status: "complete" }, { status: "complete" }]);
      expect(await env.BACKUPS.head(`backups/${t.id}/2026-12-03/${generations[0]!.runId}/manifest.json`)).not.toBeNull();
    }
  });

  it("replaces a day's generation with a second run that day, once that run has succeeded", async () => {
    const before = await listGenerations(kuraEnv, tenants[0]!.id);
    await dailyBackup("2026-12-03");
    const after = await listGenerations(kuraEnv, tenants[0]!.id);
    expect(after.map((g) => g.generation)).toEqual(["2026-12-03", "2026-12-02"]);
    expect(after[0]!.runId).not.toBe(before[0]!.runId);
    expect(after[1]!.runId).toBe(before[1]!.runId);
    expect(await storedRuns(tenants[0]!.id)).toEqual(after.map((g) => `${g.generation}/${g.runId}`).sort());
  });

  it("leaves the two complete generations untouched when a run fails half-way, and cleans up after the failed run", async () => {
    const before = await Promise.all(tenants.map((t) => listGenerations(kuraEnv, t.id)));
    // Every step after the first part dies: the run gets through staging and one part, then fails for good.
    let steps = 0;
    setFaultHook((point) => {
      if (point === "backup:after-step" && ++steps > 1) throw new Error("injected: the machine died");
    });
    const res = await operator("/api/v1/operator/jobs/backup", { method: "POST" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { backups: unknown[]; failed: string[] };
    expect(body.failed).toContain(tenants[0]!.id);
    for (const [i, t] of tenants.entries()) {
      if (!body.failed.includes(t.id)) continue;
      expect(await listGenerations(kuraEnv, t.id)).toEqual(before[i]);
      expect(await storedRuns(t.id)).toEqual(before[i]!.map((g) => `${g.generation}/${g.runId}`).sort());
      const failed = await env.CONTROL_DB.prepare("SELECT error FROM backup_runs WHERE tenant_id = ? AND status = 'failed'")
        .bind(t.id)
        .all<{ error: string }>();
      expect(failed.results.map((r) => r.error)).toEqual([expect.stringContaining("injected")]);
      const db = await shardOf(t.id);
      expect(await db.prepare("SELECT COUNT(*) AS n FROM backup_rows WHERE tenant_id = ?").bind(t.id).first("n")).toBe(0);
    }
  });
});

const backupsComponent = async () => {
  const status = (await (await call("/api/v1/status")).json()) as { components: { name: string; status: string }[] };
  return status.components.find((c) => c.name === "backups")?.status;
};

describe("verification after each run", () => {
  it("catches a part corrupted after the manifest was written: the run fails, the operator is alerted, the generations stay", async () => {
    const target = tenants[1]!;
    const before = await listGenerations(kuraEnv, target.id);
    // Between this tenant's manifest and its read-back, one byte of one of its sealed parts changes
    // (once: the hook also runs when the other tenant's manifest is written).
    let planted = false;
    setFaultHook(async (point) => {
      if (point !== "backup:manifest-written" || planted) return;
      const listed = await env.BACKUPS.list({ prefix: `backups/${target.id}/2026-12-04/` });
      const part = listed.objects.find((o) => o.key.includes("-rows."));
      if (!part || !listed.objects.some((o) => o.key.endsWith("/manifest.json"))) return;
      planted = true;
      const bytes = new Uint8Array(await (await env.BACKUPS.get(part.key))!.arrayBuffer());
      bytes[bytes.length - 1]! ^= 1;
      await env.BACKUPS.put(part.key, bytes);
    });
    await dailyBackup("2026-12-04");
    expect(await listGenerations(kuraEnv, target.id)).toEqual(before);
    expect(await storedRuns(target.id)).toEqual(before.map((g) => `${g.generation}/${g.runId}`).sort());
    const failed = await env.CONTROL_DB.prepare("SELECT error FROM backup_runs WHERE tenant_id = ? AND generation = '2026-12-04'")
      .bind(target.id)
      .first<{ error: string }>();
    expect(failed?.error).toMatch(/does not match its checksum/);
    // The other tenant's run of that day was not touched and is now its newest generation.
    expect((await listGenerations(kuraEnv, tenants[0]!.id))[0]!.generation).toBe("2026-12-04");
    const mail = await operator("/api/v1/operator/outbox?to=operations@kura.test");
    const { items } = (await mail.json()) as { items: { subject: string; text: string }[] };
    expect(items.some((m) => m.subject.includes(target.id) && m.text.includes("checksum"))).toBe(true);
    expect(await backupsComponent()).toBe("degraded");
    // Nothing of the scratch read-back is left in the shard.
    const db = await shardOf(target.id);
    expect(await db.prepare("SELECT COUNT(*) AS n FROM backup_rows WHERE tenant_id = ?").bind(target.id).first("n")).toBe(0);
  });
});

describe("POST /api/v1/operator/jobs/backup and GET …/backups", () => {
  it("runs every active tenant's backup to its end, lists at most two generations, and logs backup.created", async () => {
    const res = await operator("/api/v1/operator/jobs/backup", { method: "POST" });
    expect(res.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const body = (await res.json()) as { backups: { tenantId: string; generation: string; createdAt: string }[]; failed: string[] };
    expect(body.failed).toEqual([]);
    expect(body.backups.map((b) => b.tenantId).sort()).toEqual(tenants.map((t) => t.id).sort());
    expect(body.backups.every((b) => b.generation === today)).toBe(true);
    for (const t of tenants) {
      const list = await operator(`/api/v1/operator/tenants/${t.id}/backups`);
      expect(list.status).toBe(200);
      const { items } = (await list.json()) as { items: { generation: string; createdAt: string; bytes: number }[] };
      expect(items.map((g) => g.generation)).toEqual([today, t === tenants[0] ? "2026-12-04" : "2026-12-03"]);
      expect(items[0]!.bytes).toBeGreaterThan(0);
      const events = await auditTail(t.id, 5);
      expect(events.map((e) => e.action)).toContain("backup.created");
    }
    // A successful run of every tenant since the failure: the status page is operational again.
    expect(await backupsComponent()).toBe("operational");
    const unknown = await operator("/api/v1/operator/tenants/tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa/backups");
    expect(unknown.status).toBe(404);
  });
});
