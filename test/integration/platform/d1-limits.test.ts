/**
 * Production D1's limits, enforced outside production by the checker
 * (app/.server/db/d1-limits.server.ts, ADR 0016): the checker itself, drizzle
 * over it, and the app's statements that grow with their input staying under
 * the limits through the real Worker.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../workers/index";
import { checkedD1, D1_LIMITS, d1For, envWithD1Limits } from "~/.server/db/d1-limits.server";
import { chunksFor } from "~/.server/db/chunks.server";
import { encodeCursor } from "~/.server/http/cursor.server";
import * as schema from "~/.server/db/tenant-schema";
import { call, type ApiErrorBody } from "../../support/http";
import { auditTail, buildWorld, expectJson, type World } from "../../support/world";
import { seedAssets, uploadAsset, type AssetBody } from "../../support/assets";
import { shardOf } from "../../support/shards";

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");
const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("the D1 limits checker", () => {
  const db = () => checkedD1(env.TENANT_DB_S0);

  it("passes 100 bound parameters and refuses 101, naming the limit", async () => {
    const ok = await db()
      .prepare(`SELECT ${placeholders(100)}`)
      .bind(...numbers(100))
      .raw();
    expect(ok[0]).toHaveLength(100);
    expect(() =>
      db()
        .prepare(`SELECT ${placeholders(101)}`)
        .bind(...numbers(101)),
    ).toThrow(/D1 limit exceeded: statement binds 101 parameters; production D1 allows at most 100/);
  });

  it("refuses SQL over 100,000 bytes of UTF-8 (counted in bytes, not characters)", async () => {
    const padded = (bytes: number) => `SELECT 1 /*${"x".repeat(bytes - "SELECT 1 /**/".length)}*/`;
    expect(await db().prepare(padded(D1_LIMITS.maxSqlBytes)).first()).toBeTruthy();
    expect(() => db().prepare(padded(D1_LIMITS.maxSqlBytes + 1))).toThrow(
      /D1 limit exceeded: SQL statement is 100001 bytes; production D1 allows at most 100000/,
    );
    // 33,334 three-byte characters: 100,002 bytes in 33,334 UTF-16 units.
    expect(() => db().prepare(`SELECT '${"蔵".repeat(33_334)}'`)).toThrow(/SQL statement is 100011 bytes/);
    expect(() => db().exec(padded(D1_LIMITS.maxSqlBytes + 1))).toThrow(/SQL statement is 100001 bytes/);
  });

  it("refuses a bound string or blob over 2,000,000 bytes", async () => {
    const atLimit = "a".repeat(D1_LIMITS.maxValueBytes);
    expect(await db().prepare("SELECT length(?) AS n").bind(atLimit).first("n")).toBe(D1_LIMITS.maxValueBytes);
    expect(() => db().prepare("SELECT length(?)").bind(`${atLimit}a`)).toThrow(
      /D1 limit exceeded: bound parameter 1 is 2000001 bytes; production D1 allows at most 2000000 per value/,
    );
    expect(() =>
      db()
        .prepare("SELECT 1, length(?)")
        .bind(1, new Uint8Array(D1_LIMITS.maxValueBytes + 1)),
    ).toThrow(/bound parameter 2 is 2000001 bytes/);
    // 666,667 three-byte characters are 2,000,001 bytes.
    expect(() => db().prepare("SELECT length(?)").bind("蔵".repeat(666_667))).toThrow(/bound parameter 1 is 2000001 bytes/);
  });

  it("checks statements inside batch() and sessions, and drizzle's batch accepts its statements", async () => {
    const d1 = db();
    const [a, b] = await d1.batch([d1.prepare("SELECT ? AS v").bind(1), d1.prepare("SELECT ? AS v").bind(2)]);
    expect([a!.results, b!.results]).toEqual([[{ v: 1 }], [{ v: 2 }]]);
    const session = d1.withSession("first-unconstrained");
    expect(() => session.prepare(`SELECT ${placeholders(101)}`).bind(...numbers(101))).toThrow(/binds 101 parameters/);
    expect(await session.prepare("SELECT ? AS v").bind(3).first("v")).toBe(3);

    const orm = drizzle(d1, { schema });
    const [settings, inserted] = await orm.batch([
      orm.select().from(schema.tenantSettings).limit(1),
      orm.insert(schema.auditOutbox).values({ id: "d1-limits-probe", tenantId: "tnt_none", event: "{}" }).returning(),
    ]);
    expect(Array.isArray(settings)).toBe(true);
    expect(inserted).toHaveLength(1);
    const tooMany = orm
      .select()
      .from(schema.assets)
      .where(inArray(schema.assets.id, numbers(101).map(String)));
    // drizzle wraps the driver's error ("Failed query: …") and keeps it as the cause.
    const causeOf = (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: unknown) => String((e as { cause?: unknown }).cause ?? e),
      );
    expect(await causeOf(tooMany.all())).toMatch(/binds 101 parameters/);
    expect(await causeOf(orm.batch([tooMany]))).toMatch(/binds 101 parameters/);
  });

  it("wraps every D1 binding in test and development, and none in production", () => {
    expect(d1For({ KURA_ENV: "production" }, env.TENANT_DB_S0)).toBe(env.TENANT_DB_S0);
    expect(d1For({ KURA_ENV: "development" }, env.TENANT_DB_S0)).toBe(checkedD1(env.TENANT_DB_S0));
    expect(checkedD1(checkedD1(env.TENANT_DB_S0))).toBe(checkedD1(env.TENANT_DB_S0));
    const production = { ...env, KURA_ENV: "production" };
    expect(envWithD1Limits(production)).toBe(production);
    const tested = envWithD1Limits(env);
    expect(tested).toBe(envWithD1Limits(env));
    expect(tested.CONTROL_DB).toBe(checkedD1(env.CONTROL_DB));
    expect((tested as unknown as Record<string, unknown>).TENANT_DB_S1).toBe(checkedD1(env.TENANT_DB_S1 as D1Database));
    expect(tested.ASSETS).toBe(env.ASSETS);
  });

  it("chunksFor divides the 100 parameters by a row's cost", () => {
    expect(chunksFor(4)).toBe(25);
    expect(chunksFor(3, 1)).toBe(33);
    expect(() => chunksFor(101)).toThrow();
  });
});

describe("the app's growing statements stay under the limits", () => {
  let world: World;
  let admin: string;
  let asset: AssetBody;

  beforeAll(async () => {
    world = await buildWorld("d1limits");
    admin = world.users.tenantAdmin.token;
    asset = await uploadAsset(admin, world.p1, "tags.mov", "x");
    const fields = Array.from({ length: 21 }, (_, i) => ({
      key: `f${i}`,
      label: `F${i}`,
      type: i % 2 ? "multiselect" : "text",
      ...(i % 2 ? { options: ["a", "b"] } : {}),
    }));
    for (const f of fields) await expectJson(call("/api/v1/metadata-fields", { method: "POST", token: admin, json: f }), 201);
  });

  it("an asset takes 100 tags (4 parameters each), and the tag facets list them", async () => {
    const tags = Array.from({ length: 100 }, (_, i) => `tag-${String(i).padStart(3, "0")}`);
    const patched = await expectJson<AssetBody>(call(`/api/v1/assets/${asset.id}`, { method: "PATCH", token: admin, json: { tags } }), 200);
    expect(patched.tags).toEqual(tags);
    const facets = await expectJson<{ tag: string; count: number }[] | { items: { tag: string }[] }>(
      call(`/api/v1/projects/${world.p1}/tags`, { token: admin }),
      200,
    );
    expect(JSON.stringify(facets)).toContain("tag-099");
  });

  it("a list query with every filter, 20 tags, 20 metadata filters, q and a cursor stays under 100 parameters", async () => {
    await uploadAsset(admin, world.p1, "second.mov", "y");
    const params = new URLSearchParams({
      q: "tags",
      folderId: "root",
      kind: "other",
      status: "processing",
      colorLabel: "red",
      minDuration: "0",
      maxDuration: "100",
      minWidth: "0",
      minHeight: "0",
      createdFrom: "2020-01-01",
      createdTo: "2999-01-01",
      sort: "-size",
      limit: "1",
    });
    for (let i = 0; i < 20; i++) params.append("tag", `tag-${String(i).padStart(3, "0")}`);
    for (let i = 0; i < 20; i++) params.append("meta", `f${i}:a`);
    params.set("cursor", encodeCursor({ v: "1000", id: "ast_zzzzzzzzzzzzzzzzzzzzzzzzzz" }));
    // Nothing matches every filter at once; the point is that the statement is accepted.
    const page = await expectJson<{ items: AssetBody[]; nextCursor: string | null }>(
      call(`/api/v1/projects/${world.p1}/assets?${params}`, { token: admin }),
      200,
    );
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it("more than 20 metadata filters are refused with 400 validation_failed", async () => {
    const params = new URLSearchParams();
    for (let i = 0; i < 21; i++) params.append("meta", `f${i}:a`);
    const res = await call(`/api/v1/projects/${world.p1}/assets?${params}`, { token: admin });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details?.[0]?.path).toMatch(/^meta/);
  });

  it("a bulk edit writing 10,000-character text metadata to 300 assets splits its JSON under 2 MB", async () => {
    await expectJson(call("/api/v1/metadata-fields", { method: "POST", token: admin, json: { key: "notes", label: "Notes", type: "textarea" } }), 201);
    const seeded = await seedAssets(await shardOf(world.tenantA.id), env.ASSETS, { tenantId: world.tenantA.id, projectId: world.p2 }, 300);
    const notes = "長".repeat(10_000);
    const res = await expectJson<{ updated: number }>(
      call(`/api/v1/projects/${world.p2}/assets/bulk-update`, {
        method: "POST",
        token: admin,
        json: { assetIds: seeded.map((a) => a.id), metadata: { notes } },
      }),
      200,
    );
    expect(res).toEqual({ updated: 300 });
    const last = await expectJson<AssetBody>(call(`/api/v1/assets/${seeded.at(-1)!.id}`, { token: admin }), 200);
    expect(last.metadata.notes).toBe(notes);
  }, 60_000);

  it("the scheduled job moves 250 stranded audit events (more than 100 at a time) into the log", async () => {
    const shard = await shardOf(world.tenantA.id);
    const before = (await auditTail(world.tenantA.id, 1))[0]!.seq;
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const inserts = Array.from({ length: 250 }, (_, i) => {
      const event = {
        id: crypto.randomUUID(),
        at: old,
        actor: { type: "system", id: null, email: null },
        action: "asset.updated",
        target: { type: "asset", id: `ast_${i}`, name: null },
        ip: null,
        userAgent: null,
        outcome: "success",
        details: null,
      };
      return shard
        .prepare("INSERT INTO audit_outbox (id, tenant_id, event, created_at) VALUES (?, ?, ?, ?)")
        .bind(event.id, world.tenantA.id, JSON.stringify(event), old);
    });
    await shard.batch(inserts);
    const controller = createScheduledController({ scheduledTime: new Date(), cron: "*/15 * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await shard.prepare("SELECT count(*) AS n FROM audit_outbox WHERE tenant_id = ?").bind(world.tenantA.id).first("n")).toBe(0);
    expect((await auditTail(world.tenantA.id, 1))[0]!.seq).toBe(before + 250);
  });
});
