/**
 * Collections (issue #14) through the public API, in workerd against real D1: named sets of links
 * to a project's assets (no copies), who may change them, the size limit under a burst, paging,
 * and what deleting an asset or a collection leaves.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { uploadAsset, waitProcessed } from "../../support/assets";
import { pseudoRandomBytes } from "../../support/generated";
import { COLLECTION_LIMITS, type Collection } from "~/schemas/review";

let world: World;
let seed = 100;

const admin = () => world.users.tenantAdmin.token;
const newCollection = async (name: string, token = admin(), projectId = world.p1) =>
  expectJson<Collection>(call("/api/v1/collections", { method: "POST", json: { projectId, name }, token }), 201);

async function assetIn(projectId: string, name: string) {
  const created = await uploadAsset(admin(), projectId, name, pseudoRandomBytes(300, ++seed));
  return (await waitProcessed(admin(), created.id)).id;
}

const idsOf = async (collectionId: string, token = admin(), query = "") =>
  await expectJson<{ items: { id: string }[]; nextCursor: string | null }>(call(`/api/v1/collections/${collectionId}/assets${query}`, { token }), 200);

beforeAll(async () => {
  world = await buildWorld("col");
});

describe("collections", () => {
  it("hold links to the project's assets: put, add a selection, list newest first in pages, take out; the assets stay", async () => {
    const c = await newCollection("納品候補 2026");
    const [a, b, d] = [await assetIn(world.p1, "a.bin"), await assetIn(world.p1, "b.bin"), await assetIn(world.p1, "d.bin")];
    const other = await assetIn(world.p2, "other-project.bin");

    expect((await expectJson<Collection>(call(`/api/v1/collections/${c.id}/assets/${a}`, { method: "PUT", token: admin() }), 200)).assetCount).toBe(1);
    // Idempotent.
    expect((await expectJson<Collection>(call(`/api/v1/collections/${c.id}/assets/${a}`, { method: "PUT", token: admin() }), 200)).assetCount).toBe(1);
    // An asset of another project is not found here.
    expect((await call(`/api/v1/collections/${c.id}/assets/${other}`, { method: "PUT", token: admin() })).status).toBe(404);
    // A selection: new ones are added, the one already in and the other project's are skipped.
    const added = await expectJson<{ added: number; collection: Collection }>(
      call(`/api/v1/collections/${c.id}/assets`, { method: "POST", json: { assetIds: [a, b, d, other, b] }, token: world.users.member.token }),
      200,
    );
    expect(added).toMatchObject({ added: 2, collection: { assetCount: 3 } });

    const first = await idsOf(c.id, world.users.viewer.token, "?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await idsOf(c.id, world.users.viewer.token, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.id).sort()).toEqual([a, b, d].sort());
    expect([...first.items, ...second.items].at(-1)!.id).toBe(a); // the first one added comes last

    expect((await call(`/api/v1/collections/${c.id}/assets/${b}`, { method: "DELETE", token: admin() })).status).toBe(204);
    expect((await call(`/api/v1/collections/${c.id}/assets/${b}`, { method: "DELETE", token: admin() })).status).toBe(404);
    expect((await call(`/api/v1/assets/${b}`, { token: admin() })).status).toBe(200);

    const listed = await expectJson<{ items: Collection[] }>(call(`/api/v1/projects/${world.p1}/collections`, { token: world.users.viewer.token }), 200);
    expect(listed.items.find((x) => x.id === c.id)).toMatchObject({ name: "納品候補 2026", assetCount: 2 });
  });

  it("names are checked and unique per project; renaming and deleting keep the assets", async () => {
    await newCollection("Selects");
    expect((await call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "Selects" }, token: admin() })).status).toBe(409);
    await newCollection("Selects", admin(), world.p2); // another project may use it
    for (const name of ["", "   ", "a/b", "x".repeat(300), "bidi\u202e"]) {
      expect((await call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name }, token: admin() })).status, name).toBe(400);
    }
    const c = await newCollection("Rough cut");
    const asset = await assetIn(world.p1, "kept.bin");
    await expectJson(call(`/api/v1/collections/${c.id}/assets/${asset}`, { method: "PUT", token: admin() }), 200);
    expect((await call(`/api/v1/collections/${c.id}`, { method: "PATCH", json: { name: "Selects" }, token: admin() })).status).toBe(409);
    expect((await expectJson<Collection>(call(`/api/v1/collections/${c.id}`, { method: "PATCH", json: { name: "Fine cut" }, token: admin() }), 200)).name).toBe(
      "Fine cut",
    );
    expect((await call(`/api/v1/collections/${c.id}`, { method: "DELETE", token: admin() })).status).toBe(204);
    expect((await call(`/api/v1/collections/${c.id}`, { token: admin() })).status).toBe(404);
    expect((await call(`/api/v1/assets/${asset}`, { token: admin() })).status).toBe(200);
    const links = await env.TENANT_DB_S0.prepare("SELECT COUNT(*) AS n FROM collection_assets WHERE collection_id = ?").bind(c.id).first<{ n: number }>();
    expect(links!.n).toBe(0);
  });

  it("viewers read; collection.manage changes; other projects and tenants get 404", async () => {
    const { users } = world;
    expect((await call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "viewer's" }, token: users.viewer.token })).status).toBe(
      403,
    );
    expect((await call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "custom's" }, token: users.custom.token })).status).toBe(
      403,
    );
    const c = await newCollection("Member's", users.member.token);
    const asset = await assetIn(world.p1, "perm.bin");
    expect((await call(`/api/v1/collections/${c.id}/assets/${asset}`, { method: "PUT", token: users.viewer.token })).status).toBe(403);
    expect((await call(`/api/v1/collections/${c.id}`, { token: users.viewer.token })).status).toBe(200);
    for (const who of [users.otherProject, users.otherTenantAdmin]) {
      expect((await call(`/api/v1/collections/${c.id}`, { token: who.token })).status).toBe(404);
      expect((await call(`/api/v1/collections/${c.id}/assets`, { token: who.token })).status).toBe(404);
      expect((await call(`/api/v1/collections/${c.id}/assets/${asset}`, { method: "PUT", token: who.token })).status).toBe(404);
      expect((await call(`/api/v1/collections/${c.id}`, { method: "DELETE", token: who.token })).status).toBe(404);
    }
    expect(
      (await call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "theirs" }, token: users.otherTenantAdmin.token })).status,
    ).toBe(404);
  });

  it(`a burst of additions cannot take a collection past ${COLLECTION_LIMITS.assets} assets`, async () => {
    const c = await newCollection("Full");
    // Fill to one short of the limit directly (links to one real asset id each would need 10,000 uploads).
    const filler = Array.from({ length: COLLECTION_LIMITS.assets - 1 }, (_, i) => `ast_fill${i}`);
    for (let i = 0; i < filler.length; i += 2000) {
      await env.TENANT_DB_S0.prepare("INSERT INTO collection_assets (tenant_id, collection_id, asset_id) SELECT ?1, ?2, value FROM json_each(?3)")
        .bind(world.tenantA.id, c.id, JSON.stringify(filler.slice(i, i + 2000)))
        .run();
    }
    const candidates = await Promise.all(Array.from({ length: 4 }, (_, i) => assetIn(world.p1, `burst-${i}.bin`)));
    const statuses = await Promise.all(
      candidates.map((a) => call(`/api/v1/collections/${c.id}/assets/${a}`, { method: "PUT", token: admin() }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    expect((await expectJson<Collection>(call(`/api/v1/collections/${c.id}`, { token: admin() }), 200)).assetCount).toBe(COLLECTION_LIMITS.assets);
  });

  it("a deleted asset leaves every collection; bad bodies get 400", async () => {
    const c = await newCollection("Gone");
    const asset = await assetIn(world.p1, "gone.bin");
    await expectJson(call(`/api/v1/collections/${c.id}/assets/${asset}`, { method: "PUT", token: admin() }), 200);
    expect((await call(`/api/v1/assets/${asset}`, { method: "DELETE", token: admin() })).status).toBe(204);
    expect((await idsOf(c.id)).items).toEqual([]);
    for (const json of [
      {},
      { assetIds: [] },
      { assetIds: ["nope"] },
      { assetIds: Array.from({ length: COLLECTION_LIMITS.addAtOnce + 1 }, () => asset) },
      { assetIds: [asset], x: 1 },
    ]) {
      expect((await call(`/api/v1/collections/${c.id}/assets`, { method: "POST", json, token: admin() })).status).toBe(400);
    }
  });
});
