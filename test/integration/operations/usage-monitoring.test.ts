/**
 * Storage usage monitoring (issue #12): the tenant admins are e-mailed once, in their language,
 * when usage crosses 80 % and 100 % of the quota (a burst sends one mail each; falling back under
 * 80 % re-arms it); the daily trigger keeps a snapshot per tenant and project in the control plane,
 * numbers and ids only; the operator sees every tenant's usage against its quota.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DAILY_BACKUP_CRON } from "~/.server/backups/backup-job.server";
import { readConfig } from "~/.server/env/config.server";
import type { KuraEnv } from "~/.server/env/env";
import { createLogger } from "~/.server/http/logger.server";
import { warnOnQuota } from "~/.server/usage/quota-warnings.server";
import { kura, operator } from "../../support/http";
import { outbox, type Mail } from "../../support/identity";
import { drainJobs, fireCron } from "../../support/jobs";
import { PASSWORD } from "../../support/world";

const kuraEnv = env as unknown as KuraEnv;
const QUOTA = 1_000;
const PROJECT_NAME = "極秘プロジェクト名";

let tenant: { id: string; slug: string; token: string; adminEmail: string; secondAdmin: string };
let projectId: string;

const quotaMails = async (to: string): Promise<Mail[]> => (await outbox(to)).filter((m) => /storage|ストレージ/.test(m.subject));

async function upload(name: string, bytes: number): Promise<string> {
  const asset = await kura.uploadAsset<{ id: string }>(tenant.token, projectId, name, "x".repeat(bytes), { type: "text/plain" });
  return asset.id;
}

beforeAll(async () => {
  const t = await kura.createTenant({ slug: "usage-mon", name: "容量 監視 株式会社", password: PASSWORD, storageQuotaBytes: QUOTA });
  const secondAdmin = "second-admin@usage-mon.example";
  const second = await kura.addUser(t.admin.token, t.slug, { email: secondAdmin, password: PASSWORD, tenantRole: "tenant_admin" });
  await kura.must(200, "/me", { method: "PATCH", token: second.token, json: { locale: "en" } });
  await kura.must(200, "/me", { method: "PATCH", token: t.admin.token, json: { locale: "ja" } });
  tenant = { id: t.id, slug: t.slug, token: t.admin.token, adminEmail: t.admin.email, secondAdmin };
  projectId = await kura.createProject(t.admin.token, PROJECT_NAME);
}, 60_000);

describe("quota warnings", () => {
  it("e-mails every tenant admin once, in their language, at 80 % and at 100 %; nothing below 80 %", async () => {
    // (One upload may reserve at most half the quota: UPLOAD_USER_RESERVATION_SHARE.)
    await upload("a.txt", 400);
    await upload("b.txt", 390);
    expect(await quotaMails(tenant.adminEmail)).toEqual([]);
    await upload("c.txt", 30); // 820 of 1,000
    const ja = await quotaMails(tenant.adminEmail);
    const en = await quotaMails(tenant.secondAdmin);
    expect(ja).toHaveLength(1);
    expect(en).toHaveLength(1);
    expect(ja[0]!.subject).toContain("82%");
    expect(ja[0]!.subject).toContain("ストレージ使用量");
    expect(en[0]!.subject).toContain("storage is 82% full");
    expect(en[0]!.text).toContain("820 B of its 1 KB");
    await upload("d.txt", 10); // still 80 %: no second mail
    expect(await quotaMails(tenant.adminEmail)).toHaveLength(1);
    await upload("e.txt", 170); // exactly full
    const full = await quotaMails(tenant.secondAdmin);
    expect(full).toHaveLength(2);
    expect(full.some((m) => m.subject.includes("storage is full"))).toBe(true);
  });

  it("a burst of checks at a new level sends one mail per admin", async () => {
    const ctx = { env: kuraEnv, config: readConfig(kuraEnv), logger: createLogger({ requestId: "burst" }), waitUntil: () => {} };
    // Re-armed (under 80 %), then eight checks at once at 100 %.
    expect(await warnOnQuota(ctx, tenant.id, 100, QUOTA)).toBeNull();
    const before = (await quotaMails(tenant.adminEmail)).length;
    const levels = await Promise.all(Array.from({ length: 8 }, () => warnOnQuota(ctx, tenant.id, QUOTA, QUOTA)));
    expect(levels.filter((l) => l === 100)).toHaveLength(1);
    expect(await quotaMails(tenant.adminEmail)).toHaveLength(before + 1);
  });
});

describe("daily snapshots and the operator's view", () => {
  it("the daily trigger keeps the tenant's and each project's figures, numbers and ids only", async () => {
    for (const day of ["2026-12-04", "2026-12-05"]) {
      await fireCron(DAILY_BACKUP_CRON, new Date(`${day}T18:00:00Z`));
      await drainJobs(tenant.id);
    }
    const usage = await kura.must<{ bytes: number; assets: number }>(200, "/usage", { token: tenant.token });
    const res = await operator(`/api/v1/operator/tenants/${tenant.id}/usage?days=400`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(PROJECT_NAME);
    const history = JSON.parse(text) as {
      days: { day: string; bytes: number; assets: number; quotaBytes: number }[];
      projects: { projectId: string; bytes: number }[];
    };
    expect(history.days.map((d) => d.day)).toEqual(["2026-12-04", "2026-12-05"]);
    for (const d of history.days) expect(d).toMatchObject({ bytes: usage.bytes, assets: usage.assets, quotaBytes: QUOTA });
    expect(history.projects).toEqual([{ projectId, bytes: usage.bytes, assets: usage.assets }]);
  });

  it("the operator sees each tenant's usage against its quota, fullest first", async () => {
    const res = await operator("/api/v1/operator/usage");
    expect(res.status).toBe(200);
    const { items } = await res.json<{ items: { tenantId: string; percent: number; level: number; usedBytes: number; quotaBytes: number }[] }>();
    const mine = items.find((i) => i.tenantId === tenant.id)!;
    expect(mine).toMatchObject({ quotaBytes: QUOTA, usedBytes: 1_000, percent: 100, level: 100 });
    expect(items[0]!.percent).toBeGreaterThanOrEqual(items.at(-1)!.percent);
  });

  it("refuses a bad history window with 400 and an unknown tenant with 404", async () => {
    for (const q of ["?days=0", "?days=401", "?days=abc", "?days=7&extra=1"]) {
      expect((await operator(`/api/v1/operator/tenants/${tenant.id}/usage${q}`)).status, q).toBe(400);
    }
    expect((await operator("/api/v1/operator/tenants/ten_nosuchtenant000000000000000/usage")).status).toBe(404);
  });
});
