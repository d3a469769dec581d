/**
 * Issue #13 (ADR 0030): the Worker's side of the transcoder. This file plays the transcoder with
 * the URLs a job is given (no TRANSCODER_URL here: jobs stay queued), so it can attack them:
 * forged, expired, misused and superseded grants, bursts on single-use uploads and on the final
 * report, and checks the usage, deletion and permissions that follow. test/pipeline runs the real
 * transcoder with ffmpeg.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { signGrant, type Grant } from "~/.server/media/signed-urls.server";
import { sweepStuckTranscodes, MAX_TRANSCODE_ATTEMPTS } from "~/.server/media/jobs.server";
import { createLogger } from "~/.server/http/logger.server";
import {
  containerInstances,
  instanceForJob,
  sendToTranscoder,
  transcoderConfigured,
  transcoderHealth,
  transcoderTargetProblem,
} from "~/.server/media/transcoder-client.server";
import { readSecrets } from "~/.server/env/secrets.server";
import type { KuraEnv } from "~/.server/env/env";
import { call, type ApiErrorBody } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { uploadAsset, waitProcessed } from "../../support/assets";
import { pseudoRandomBytes } from "../../support/generated";

let world: World;
let admin: string;

type Job = { id: string; attempt: number; status: string; stage: string | null; error_code: string | null; outputs: string };

async function jobOf(assetId: string): Promise<Job> {
  const row = await env.TENANT_DB_S0.prepare("SELECT id, attempt, status, stage, error_code, outputs FROM media_jobs WHERE asset_id = ?")
    .bind(assetId)
    .first<Job>();
  if (!row) throw new Error(`no job for ${assetId}`);
  return row;
}

/** A token as the Worker signs it for the job's current attempt (or another, to attack). */
async function token(job: Pick<Job, "id" | "attempt">, use: Grant["use"], extra: Partial<Grant> = {}) {
  return signGrant(env, { tenantId: world.tenantA.id, jobId: job.id, attempt: job.attempt, use, expiresAt: Math.floor(Date.now() / 1000) + 600, ...extra });
}

const source = (t: string, headers: Record<string, string> = {}) => call(`/api/v1/transcoder/source?token=${encodeURIComponent(t)}`, { headers });
const outputUrl = (name: string, t: string, extra = "") => `/api/v1/transcoder/outputs/${name}?token=${encodeURIComponent(t)}${extra}`;
const report = (t: string, event: unknown) => call(`/api/v1/transcoder/callback?token=${encodeURIComponent(t)}`, { method: "POST", json: event });

/** Stores one output the way the transcoder does: start, one part, complete. */
async function storeOutput(job: Job, name: string, bytes: Uint8Array<ArrayBuffer>, contentType: string) {
  const t = await token(job, "output", { name: name as Grant["name"] });
  const { uploadId } = await expectJson<{ uploadId: string }>(call(outputUrl(name, t), { method: "POST", json: { contentType } }), 201);
  const part = await expectJson<{ etag: string }>(
    call(outputUrl(name, t, `&uploadId=${encodeURIComponent(uploadId)}&part=1`), { method: "PUT", body: bytes }),
    200,
  );
  return expectJson<{ size: number }>(
    call(outputUrl(name, t, `&uploadId=${encodeURIComponent(uploadId)}`), { method: "POST", json: { parts: [{ partNumber: 1, etag: part.etag }] } }),
    200,
  );
}

const READY = (outputs: Record<string, unknown>) => ({
  event: "ready",
  profile: 1,
  technical: {
    kind: "video",
    container: "mxf",
    videoCodec: "dnxhd",
    frameRate: { num: 30000, den: 1001 },
    startTimecode: "00:59:59;00",
    width: 640,
    height: 360,
  },
  outputs,
});

async function usedBytes(): Promise<number> {
  return (await expectJson<{ bytes: number }>(call("/api/v1/usage", { token: admin }), 200)).bytes;
}

async function processedAsset(name: string, bytes: Uint8Array<ArrayBuffer> | string = pseudoRandomBytes(70_000, name.length)) {
  const asset = await uploadAsset(world.users.member.token, world.p1, name, bytes);
  await waitProcessed(admin, asset.id);
  return { asset, job: await jobOf(asset.id) };
}

const code = async (res: Response) => ((await res.json()) as ApiErrorBody).error.code;

beforeAll(async () => {
  world = await buildWorld("media");
  admin = world.users.tenantAdmin.token;
});

describe("the transcoder's signed URLs", () => {
  it("a processed asset has a queued job; its source grant reads the original with Range", async () => {
    const bytes = pseudoRandomBytes(50_000, 7);
    const { asset, job } = await processedAsset("clip.mxf", bytes);
    expect(job).toMatchObject({ status: "queued", attempt: 1 });
    expect((await expectJson<{ status: string }>(call(`/api/v1/assets/${asset.id}/media`, { token: world.users.viewer.token }), 200)).status).toBe("queued");
    const res = await source(await token(job, "source"), { Range: "bytes=100-199" });
    expect(res.status).toBe(206);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(100, 200));
  });

  it("refuses forged, tampered, expired and misused grants, and another tenant's job under this tenant's name", async () => {
    const { job } = await processedAsset("forged.mov");
    const good = await token(job, "source");
    const [payload, mac] = good.split(".") as [string, string];
    const tampered = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/")));
    tampered.a = 2;
    const tamperedToken = `${btoa(JSON.stringify(tampered)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}.${mac}`;
    const otherKey = crypto.getRandomValues(new Uint8Array(32));
    const forged = await signGrant(
      { ...env, TRANSCODER_SIGNING_KEY: btoa(String.fromCharCode(...otherKey)) },
      { tenantId: world.tenantA.id, jobId: job.id, attempt: 1, use: "source", expiresAt: 2e9 },
    );
    const { job: other } = await (async () => {
      const b = await uploadAsset(
        world.users.otherTenantAdmin.token,
        (await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", token: world.users.otherTenantAdmin.token, json: { name: "B" } }), 201))
          .id,
        "b.mov",
        "bbbb",
      );
      await waitProcessed(world.users.otherTenantAdmin.token, b.id);
      return { job: await jobOf(b.id) };
    })();
    const attempts = [
      tamperedToken,
      forged,
      await token(job, "source", { expiresAt: Math.floor(Date.now() / 1000) - 1 }),
      await token(job, "callback"),
      await token(job, "output", { name: "proxy" }),
      await token(job, "source", { attempt: 2 }),
      // Tenant A's name on tenant B's job: the job is looked up in A's data only.
      await token(other, "source"),
      `${good}x`,
      "not-a-token",
    ];
    for (const t of attempts) expect((await source(t)).status, t.slice(0, 40)).toBe(404);
    expect((await call("/api/v1/transcoder/source")).status).toBe(400);
    expect((await source(good)).status).toBe(200);
  });

  it("an output URL is single-use: of a burst of starts exactly one wins", async () => {
    const { job } = await processedAsset("burst.mov");
    const t = await token(job, "output", { name: "poster" });
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(outputUrl("poster", t), { method: "POST", json: { contentType: "image/jpeg" } })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array<number>(11).fill(409)]);
    const rows = await env.TENANT_DB_S0.prepare("SELECT COUNT(*) AS n FROM media_output_claims WHERE job_id = ?").bind(job.id).first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("checks the output's type and size, and a completed upload cannot be sent again", async () => {
    const { job } = await processedAsset("limits.mov");
    const poster = await token(job, "output", { name: "poster" });
    expect((await call(outputUrl("poster", poster), { method: "POST", json: { contentType: "text/html" } })).status).toBe(415);
    expect((await call(outputUrl("nonsense", poster), { method: "POST", json: { contentType: "image/jpeg" } })).status).toBe(404);
    // A grant for one output does not open another.
    expect((await call(outputUrl("proxy", poster), { method: "POST", json: { contentType: "video/mp4" } })).status).toBe(404);
    const thumb = await token(job, "output", { name: "thumbnail" });
    const { uploadId } = await expectJson<{ uploadId: string }>(
      call(outputUrl("thumbnail", thumb), { method: "POST", json: { contentType: "image/jpeg" } }),
      201,
    );
    const big = await call(outputUrl("thumbnail", thumb, `&uploadId=${uploadId}&part=1`), { method: "PUT", body: new Uint8Array(300 * 1024) });
    expect(big.status).toBe(413);
    expect(await storeOutput(job, "poster", new Uint8Array(2048).fill(7), "image/jpeg")).toEqual({ size: 2048 });
    expect(
      (await call(outputUrl("poster", await token(job, "output", { name: "poster" })), { method: "POST", json: { contentType: "image/jpeg" } })).status,
    ).toBe(409);
  });
});

describe("reports", () => {
  it("ready: the job, the asset's technical metadata and the usage change once, even under a burst of reports", async () => {
    const { asset, job } = await processedAsset("ready.mxf");
    expect((await report(await token(job, "callback"), { event: "working", stage: "transcoding" })).status).toBe(200);
    expect(await jobOf(asset.id)).toMatchObject({ status: "working", stage: "transcoding" });
    const before = await usedBytes();
    await storeOutput(job, "proxy", new Uint8Array(10_000).fill(1), "video/mp4");
    await storeOutput(job, "poster", new Uint8Array(3_000).fill(2), "image/jpeg");
    await storeOutput(job, "thumbnail", new Uint8Array(1_000).fill(3), "image/jpeg");
    const cb = await token(job, "callback");
    // Reported but never stored: refused, nothing changes.
    expect((await report(cb, READY({ proxy: {}, filmstrip: {} }))).status).toBe(409);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        report(cb, READY({ proxy: { frames: 60, rate: { num: 30000, den: 1001 }, width: 640, height: 360 }, poster: {}, thumbnail: {} })),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(await usedBytes()).toBe(before + 14_000);
    const media = await expectJson<{ status: string; proxy: { size: number; frames: number; rate: unknown }; poster: unknown }>(
      call(`/api/v1/assets/${asset.id}/media`, { token: world.users.viewer.token }),
      200,
    );
    expect(media).toMatchObject({ status: "ready", proxy: { size: 10_000, frames: 60, rate: { num: 30000, den: 1001 } } });
    const after = await expectJson<{ kind: string; technical: Record<string, unknown>; hasThumbnail: boolean }>(
      call(`/api/v1/assets/${asset.id}`, { token: admin }),
      200,
    );
    // The sniffer did not know these bytes; ffprobe's reading fills the gaps.
    expect(after).toMatchObject({ kind: "video", hasThumbnail: true, technical: { videoCodec: "dnxhd", frameRate: 29.97, startTimecode: "00:59:59;00" } });
    const stream = await call(`/api/v1/assets/${asset.id}/stream`, { token: world.users.viewer.token, headers: { Range: "bytes=0-9" } });
    expect(stream.status).toBe(206);
    expect(stream.headers.get("content-type")).toBe("video/mp4");
  });

  it("failed: a retryable failure starts a new attempt (the old URLs stop working); a final one shows its code", async () => {
    const { asset, job } = await processedAsset("fails.mov");
    const old = await token(job, "callback");
    expect((await report(old, { event: "failed", code: "transfer_failed", detail: "network", retryable: true })).status).toBe(200);
    const next = await jobOf(asset.id);
    expect(next).toMatchObject({ status: "queued", attempt: 2, error_code: "transfer_failed" });
    expect((await report(old, { event: "working" })).status).toBe(409);
    expect((await source(await token(job, "source"))).status).toBe(404);
    expect((await report(await token(next, "callback"), { event: "failed", code: "decode_failed", detail: "ffmpeg said no" })).status).toBe(200);
    const media = await expectJson<{ status: string; errorCode: string }>(call(`/api/v1/assets/${asset.id}/media`, { token: world.users.viewer.token }), 200);
    expect(media).toMatchObject({ status: "failed", errorCode: "decode_failed" });
    expect((await report(await token(next, "callback"), { event: "working" })).status).toBe(409);
    expect((await report(await token(next, "callback"), { event: "exploded" })).status).toBe(400);
  });

  it("the sweep hands out again a silent attempt, and gives up after the last one", async () => {
    const { asset, job } = await processedAsset("silent.mov");
    await report(await token(job, "callback"), { event: "working" });
    const logger = createLogger({ requestId: "test-sweep" });
    const later = new Date(Date.now() + 10 * 60 * 1000);
    for (let attempt = 1; attempt < MAX_TRANSCODE_ATTEMPTS; attempt++) {
      const current = await jobOf(asset.id);
      await report(await token(current, "callback"), { event: "working" });
      expect(await sweepStuckTranscodes({ env, logger }, later)).toBeGreaterThanOrEqual(1);
      expect(await jobOf(asset.id)).toMatchObject({ status: "queued", attempt: attempt + 1, error_code: "timed_out" });
    }
    await report(await token(await jobOf(asset.id), "callback"), { event: "working" });
    await sweepStuckTranscodes({ env, logger }, later);
    expect(await jobOf(asset.id)).toMatchObject({ status: "failed", error_code: "timed_out", attempt: MAX_TRANSCODE_ATTEMPTS });
  });
});

describe("assets from before the pipeline", () => {
  it("get a queued job from the sweep, once", async () => {
    const { asset } = await processedAsset("legacy.mov");
    await env.TENANT_DB_S0.prepare("DELETE FROM media_jobs WHERE asset_id = ?").bind(asset.id).run();
    expect((await expectJson<{ status: string }>(call(`/api/v1/assets/${asset.id}/media`, { token: admin }), 200)).status).toBe("none");
    const logger = createLogger({ requestId: "test-backfill" });
    await Promise.all([sweepStuckTranscodes({ env, logger }), sweepStuckTranscodes({ env, logger })]);
    const rows = await env.TENANT_DB_S0.prepare("SELECT status, attempt FROM media_jobs WHERE asset_id = ?")
      .bind(asset.id)
      .all<{ status: string; attempt: number }>();
    expect(rows.results).toEqual([{ status: "queued", attempt: 1 }]);
  });
});

describe("admins retry; deletion takes everything", () => {
  it("only tenant and project admins retry, and not while a job runs", async () => {
    const { asset, job } = await processedAsset("retry.mov");
    const retry = (t: string) => call(`/api/v1/assets/${asset.id}/media/retry`, { method: "POST", token: t });
    expect(await code(await retry(admin))).toBe("conflict");
    await report(await token(job, "callback"), { event: "failed", code: "decode_failed" });
    for (const who of ["viewer", "member", "custom"] as const) expect((await retry(world.users[who].token)).status).toBe(403);
    expect((await retry(world.users.otherTenantAdmin.token)).status).toBe(404);
    const answers = await Promise.all([retry(world.users.projectAdmin.token), retry(admin), retry(admin)]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(await jobOf(asset.id)).toMatchObject({ status: "queued", attempt: 2, error_code: null });
  });

  it("deleting an asset removes its derived objects, its job and their usage", async () => {
    const before = await usedBytes();
    const { asset, job } = await processedAsset("gone.mov", pseudoRandomBytes(5_000, 3));
    await storeOutput(job, "proxy", new Uint8Array(8_000).fill(1), "video/mp4");
    await storeOutput(job, "filmstrip", new Uint8Array(4_000).fill(2), "image/jpeg");
    expect((await report(await token(job, "callback"), READY({ proxy: {}, filmstrip: {} }))).status).toBe(200);
    expect(await usedBytes()).toBe(before + 5_000 + 12_000);
    const prefix = `tenants/${world.tenantA.id}/assets/${asset.id}/`;
    expect((await env.ASSETS.list({ prefix })).objects.map((o) => o.key.slice(prefix.length)).sort()).toEqual([
      "derived/filmstrip",
      "derived/proxy",
      "original",
    ]);
    expect((await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect((await env.ASSETS.list({ prefix })).objects).toEqual([]);
    expect(await env.TENANT_DB_S0.prepare("SELECT COUNT(*) AS n FROM media_jobs WHERE asset_id = ?").bind(asset.id).first<{ n: number }>()).toEqual({ n: 0 });
    expect(await usedBytes()).toBe(before);
    // The transcoder's URLs of a deleted asset open nothing.
    expect((await source(await token(job, "source"))).status).toBe(404);
    expect((await report(await token(job, "callback"), { event: "working" })).status).toBe(409);
  });
});

describe("where the transcoder is (TRANSCODER_URL)", () => {
  const withTarget = (value: string | undefined, extra: Partial<KuraEnv> = {}) => ({ ...env, TRANSCODER_URL: value, ...extra }) as KuraEnv;

  it("accepts an http(s) URL or 'container' with its binding, and reports anything else as a configuration problem", () => {
    expect(env.TRANSCODER_CONTAINER).toBeDefined(); // wrangler.toml declares the Container class and binding
    for (const ok of ["http://127.0.0.1:8790", "https://transcoder.example.com/", "container"]) {
      expect(transcoderTargetProblem(withTarget(ok))).toBeNull();
      expect(transcoderConfigured(withTarget(ok))).toBe(true);
    }
    expect(transcoderTargetProblem(withTarget("container", { TRANSCODER_CONTAINER: undefined }))).toBe("missing");
    for (const bad of ["transcoder", "ftp://host/", "127.0.0.1:8790"]) {
      expect(transcoderTargetProblem(withTarget(bad))).toBe("malformed");
      expect(transcoderConfigured(withTarget(bad))).toBe(false);
      expect(readSecrets(withTarget(bad)).problems).toContainEqual({ name: "TRANSCODER_URL", problem: "malformed" });
    }
    expect(transcoderConfigured(withTarget(undefined))).toBe(false);
  });

  it("every hand-out of a job reaches the same container instance, and jobs spread over all of them", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const id = `mjb_${i.toString(36).padStart(6, "0")}`;
      const instance = instanceForJob(id, 4);
      expect(instanceForJob(id, 4)).toBe(instance);
      counts.set(instance, (counts.get(instance) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["transcoder-0", "transcoder-1", "transcoder-2", "transcoder-3"]);
    for (const n of counts.values()) expect(n).toBeGreaterThan(400); // 500 each when even
    expect(containerInstances(withTarget("container", { TRANSCODER_INSTANCES: "8" }))).toBe(8);
    expect(containerInstances(withTarget("container", { TRANSCODER_INSTANCES: "0" }))).toBe(4);
  });

  it("without a container runtime (wrangler dev, these tests) a hand-out fails for the queue to retry, and the status page says so", async () => {
    const containerEnv = withTarget("container");
    await expect(sendToTranscoder(containerEnv, { jobId: "mjb_nowhere" })).rejects.toThrow();
    expect(await transcoderHealth(containerEnv, 2000)).toEqual({ ok: false, detail: "unreachable" });
  });
});
