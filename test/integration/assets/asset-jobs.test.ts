/** The scheduled asset upkeep: expired uploads give back their reservation; stuck processing is retried, then failed. */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../../workers/index";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { uploadAsset, waitProcessed } from "../../support/assets";

let world: World;
let admin: string;

async function runCron(at: Date) {
  const controller = createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

const reserved = async () => (await expectJson<{ reservedBytes: number }>(call("/api/v1/usage", { token: admin }), 200)).reservedBytes;

beforeAll(async () => {
  world = await buildWorld("asset-jobs");
  admin = world.users.tenantAdmin.token;
});

describe("scheduled asset upkeep", () => {
  it("aborts a multipart upload left without parts for a day (ADR 0019) and releases its reservation", async () => {
    const upload = await expectJson<{ uploadId: string }>(
      call(`/api/v1/projects/${world.p1}/uploads`, { method: "POST", token: admin, json: { filename: "forgotten.mov", size: 6 * 1024 * 1024 } }),
      201,
    );
    expect(await reserved()).toBe(6 * 1024 * 1024);
    await runCron(new Date(Date.now() + 23 * 3_600_000));
    expect(await reserved()).toBe(6 * 1024 * 1024);
    await runCron(new Date(Date.now() + 25 * 3_600_000));
    expect(await reserved()).toBe(0);
    const status = await expectJson<{ status: string }>(call(`/api/v1/uploads/${upload.uploadId}`, { token: admin }), 200);
    expect(status.status).toBe("aborted");
    expect((await call(`/api/v1/uploads/${upload.uploadId}/parts/1`, { method: "PUT", token: admin, body: "x" })).status).toBe(409);
  });

  it("re-queues an asset stuck in processing, and gives up after five attempts", async () => {
    const asset = await uploadAsset(admin, world.p1, "stuck.wav", "not really audio");
    await waitProcessed(admin, asset.id);
    const db = env.TENANT_DB_S0;
    const old = new Date(Date.now() - 3600_000).toISOString();
    await db.prepare("UPDATE assets SET status = 'processing', sha256 = NULL, attempts = 1, updated_at = ? WHERE id = ?").bind(old, asset.id).run();
    await runCron(new Date());
    const again = await waitProcessed(admin, asset.id);
    expect(again.status).toBe("ready");
    expect(again.sha256).toMatch(/^[0-9a-f]{64}$/);

    await db.prepare("UPDATE assets SET status = 'processing', attempts = 5, updated_at = ? WHERE id = ?").bind(old, asset.id).run();
    await runCron(new Date());
    const given = await expectJson<{ status: string; problem: string }>(call(`/api/v1/assets/${asset.id}`, { token: admin }), 200);
    expect(given.status).toBe("failed");
    expect(given.problem).toMatch(/attempts/);
  });
});
