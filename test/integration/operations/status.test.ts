import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkServiceStatus, platformProbes } from "~/.server/status/status.server";
import { call } from "../../support/http";

type Status = {
  status: string;
  components: { name: string; status: string; latencyMs: number }[];
  notices: { title: string; severity: string }[];
};

describe("GET /api/v1/status", () => {
  it("checks every component live and reports operational", async () => {
    const res = await call("/api/v1/status");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Status;
    expect(body.status).toBe("operational");
    expect(body.components.map((c) => c.name)).toEqual(["database", "storage", "backups", "audit_log", "configuration"]);
    for (const c of body.components) {
      expect(c.status).toBe("operational");
      expect(c.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("shows public announcements only, never tenant-addressed ones", async () => {
    await env.CONTROL_DB.batch([
      env.CONTROL_DB.prepare("INSERT INTO announcements (id, severity, title, body) VALUES ('ann_1', 'maintenance', '定期メンテナンス', 'R2 maintenance')"),
      env.CONTROL_DB.prepare(
        "INSERT INTO announcements (id, severity, title, body, tenant_ids) VALUES ('ann_2', 'incident', 'Only for one tenant', 'x', '[\"tnt_x\"]')",
      ),
      env.CONTROL_DB.prepare(
        "INSERT INTO announcements (id, severity, title, body, ends_at) VALUES ('ann_3', 'info', 'Expired', 'x', '2000-01-01T00:00:00.000Z')",
      ),
    ]);
    const body = (await (await call("/api/v1/status")).json()) as Status;
    expect(body.notices.map((n) => [n.severity, n.title])).toEqual([["maintenance", "定期メンテナンス"]]);
  });

  it("reports a broken shard binding as degraded database, with 200 and no internals", async () => {
    await env.CONTROL_DB.prepare("INSERT INTO shards (key, binding, accepts_new_tenants) VALUES ('s9', 'TENANT_DB_S9', 0)").run();
    const res = await call("/api/v1/status");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("TENANT_DB_S9");
    const body = JSON.parse(text) as Status;
    expect(body.status).toBe("degraded");
    expect(body.components.find((c) => c.name === "database")?.status).toBe("degraded");
    expect(body.components.find((c) => c.name === "storage")?.status).toBe("operational");
    await env.CONTROL_DB.prepare("DELETE FROM shards WHERE key = 's9'").run();
  });
});

describe("checkServiceStatus", () => {
  it("marks a probe that does not answer in time as degraded (timeout) without waiting for it", async () => {
    const started = Date.now();
    const status = await checkServiceStatus(env, {
      timeoutMs: 100,
      probes: [...platformProbes(env), { name: "hanging", check: () => new Promise<void>(() => {}) }],
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(status.status).toBe("degraded");
    expect(status.components.find((c) => c.name === "hanging")).toMatchObject({ status: "degraded", detail: "timeout" });
    expect(status.components.filter((c) => c.status === "operational").map((c) => c.name)).toEqual([
      "database",
      "storage",
      "backups",
      "audit_log",
      "configuration",
    ]);
  });

  it("marks a failing real query as degraded (error), and all failing as outage", async () => {
    const failing = { name: "bad-sql", check: async () => void (await env.CONTROL_DB.prepare("SELECT * FROM no_such_table").all()) };
    const one = await checkServiceStatus(env, { timeoutMs: 2000, probes: [failing, platformProbes(env)[1]!] });
    expect(one.status).toBe("degraded");
    expect(one.components[0]).toMatchObject({ name: "bad-sql", status: "degraded", detail: "error" });
    const all = await checkServiceStatus(env, { timeoutMs: 2000, probes: [failing] });
    expect(all.status).toBe("outage");
  });
});
