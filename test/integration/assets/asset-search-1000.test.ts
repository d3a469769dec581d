/**
 * Search and browse at scale: 1,000 assets uploaded through the API, paged
 * in every sort while more are inserted between pages. Every asset appears
 * exactly once, in order; filters and Japanese substrings give exact sets.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { uploadAsset, type AssetBody } from "../../support/assets";

let world: World;
let admin: string;
const originals = new Map<string, { name: string; size: number }>();
const pad = (i: number) => String(i).padStart(4, "0");
const PLACES = ["渋谷", "新宿", "浅草", "Osaka"] as const;

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, k) => make(start + k)))));
  }
  return out;
}

beforeAll(async () => {
  world = await buildWorld("search1k");
  admin = world.users.tenantAdmin.token;
  await expectJson(
    call("/api/v1/metadata-fields", { method: "POST", token: admin, json: { key: "camera", label: "Camera", type: "select", options: ["A", "B"] } }),
    201,
  );
  const made = await inBatches(1000, 25, (i) => {
    const name = `${PLACES[i % 4]}ロケ_${pad(i)}.mov`;
    // Sizes repeat (i % 97) so that ties in the sort key are broken by id.
    return uploadAsset(admin, world.p1, name, "x".repeat(1 + (i % 97)));
  });
  for (const a of made) originals.set(a.id, { name: a.name, size: a.size });
  const byIndex = made.map((a) => a.id);
  const everyTenth = byIndex.filter((_, i) => i % 10 === 0);
  await expectJson(
    call(`/api/v1/projects/${world.p1}/assets/bulk-update`, { method: "POST", token: admin, json: { assetIds: everyTenth, addTags: ["selects"] } }),
    200,
  );
  const cameraB = byIndex.filter((_, i) => i % 4 === 1);
  await expectJson(
    call(`/api/v1/projects/${world.p1}/assets/bulk-update`, { method: "POST", token: admin, json: { assetIds: cameraB, metadata: { camera: "B" } } }),
    200,
  );
}, 600_000);

type Page = { items: AssetBody[]; nextCursor: string | null };

/** Pages through a query, calling `between` after each page (to insert concurrently). */
async function pageAll(query: string, limit: number, between?: (page: number) => Promise<void>): Promise<AssetBody[]> {
  const seen: AssetBody[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const res: Page = await expectJson<Page>(
      call(`/api/v1/projects/${world.p1}/assets?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: admin }),
      200,
    );
    seen.push(...res.items);
    if (!res.nextCursor) return seen;
    cursor = res.nextCursor;
    await between?.(page);
  }
  throw new Error("did not finish paging");
}

function expectEachOriginalOnce(items: AssetBody[]) {
  const ids = items.map((a) => a.id).filter((id) => originals.has(id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(originals.size);
  expect(new Set(items.map((a) => a.id)).size).toBe(items.length);
}

describe("paging 1,000 assets", () => {
  it("newest first stays stable while assets are added between pages", async () => {
    let added = 0;
    const items = await pageAll("sort=-createdAt", 73, async () => {
      await uploadAsset(admin, world.p1, `渋谷ロケ_new_${added++}.mov`, "n");
    });
    expectEachOriginalOnce(items);
    // Newer uploads sort before the cursor, so none shows up mid-way.
    expect(items.filter((a) => !originals.has(a.id))).toEqual([]);
    for (let i = 1; i < items.length; i++) {
      const [p, c] = [items[i - 1]!, items[i]!];
      expect(p.createdAt > c.createdAt || (p.createdAt === c.createdAt && p.id > c.id)).toBe(true);
    }
  }, 300_000);

  it("by name: assets added into pages already seen never shift the rest", async () => {
    let added = 0;
    const items = await pageAll("sort=name", 50, async (page) => {
      // Lands among names already passed (新宿…_0000a) and among names still ahead (浅草…_0999a).
      await uploadAsset(admin, world.p1, page % 2 ? `新宿ロケ_0000a${added++}.mov` : `浅草ロケ_0999a${added++}.mov`, "m");
    });
    expectEachOriginalOnce(items);
    const keys = items.map((a) => a.name.normalize("NFKC").toLowerCase());
    for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! <= keys[i]!).toBe(true);
  }, 300_000);

  it("by size, ascending, breaks ties by id", async () => {
    const items = await pageAll("sort=size", 200);
    const mine = items.filter((a) => originals.has(a.id));
    expect(mine.length).toBe(1000);
    for (let i = 1; i < items.length; i++) {
      const [p, c] = [items[i - 1]!, items[i]!];
      expect(p.size < c.size || (p.size === c.size && p.id < c.id)).toBe(true);
    }
  }, 300_000);
});

// Each of these pages through hundreds of results in several requests: seconds on a busy machine,
// so they get the same generous limit as the paging tests instead of vitest's default 5 s.
describe("filters at scale", { timeout: 120_000 }, () => {
  it("finds a Japanese substring across pages, exactly", async () => {
    const items = await pageAll(`q=${encodeURIComponent("渋谷ロケ_05")}`, 40);
    const expected = [...originals.values()]
      .filter((o) => o.name.includes("渋谷ロケ_05"))
      .map((o) => o.name)
      .sort();
    expect(expected.length).toBe(25);
    expect(items.map((a) => a.name).sort()).toEqual(expected);
  });

  it("two-character Japanese queries work (shorter than a trigram)", async () => {
    const items = await pageAll(`q=${encodeURIComponent("浅草")}&sort=name`, 200);
    expect(items.filter((a) => originals.has(a.id)).length).toBe(250);
  });

  it("filters by tag and by metadata, alone and combined with text", async () => {
    expect((await pageAll("tag=selects", 200)).length).toBe(100);
    expect((await pageAll("meta=camera:B", 200)).length).toBe(250);
    // i % 10 === 0 and i % 4 === 1 never meet; i % 10 === 0 and 新宿 (i % 4 === 1) neither.
    expect((await pageAll("tag=selects&meta=camera:B", 200)).length).toBe(0);
    const shibuyaSelects = await pageAll(`tag=selects&q=${encodeURIComponent("渋谷")}`, 200);
    expect(shibuyaSelects.filter((a) => originals.has(a.id)).length).toBe(50);
    const facets = await expectJson<{ items: { tag: string; count: number }[] }>(call(`/api/v1/projects/${world.p1}/tags`, { token: admin }), 200);
    expect(facets.items).toContainEqual({ tag: "selects", count: 100 });
  });
});
