/**
 * One- and two-character search terms go through the trigram index by way
 * of the boundary-marked copy of the search text (ADR 0010), with the same
 * results a substring scan would give; migration 0005 gives that copy to
 * rows written before it.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { searchTextOf } from "~/.server/metadata/values.server";
import { uploadAsset, waitProcessed } from "../../support/assets";
import { call } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";

let w: World;
let token: string;
const ids = new Map<string, string>();
const NAMES = ["渋谷ロケ_01.mov", "渋 谷.mov", "夜景.jpg", "Ｘ線.png", "ab_c.csv", "a%b.csv", "quote.csv"];

async function search(q: string): Promise<string[]> {
  const page = await expectJson<{ items: { name: string }[] }>(
    call(`/api/v1/projects/${w.p1}/assets?limit=100&sort=name&q=${encodeURIComponent(q)}`, { token }),
    200,
  );
  return page.items
    .map((a) => a.name)
    .filter((n) => NAMES.includes(n))
    .sort();
}

beforeAll(async () => {
  w = await buildWorld("short-terms");
  token = w.users.tenantAdmin.token;
  for (const name of NAMES) ids.set(name, (await uploadAsset(token, w.p1, name, `bytes of ${name}`, { type: "text/plain" })).id);
  for (const id of ids.values()) await waitProcessed(token, id);
  // A multipart file name cannot carry a bare quote, so that one is given by renaming.
  await expectJson(call(`/api/v1/assets/${ids.get("quote.csv")}`, { method: "PATCH", token, json: { name: 'q"uote.csv' } }), 200);
  NAMES.push('q"uote.csv');
}, 120_000);

describe("short search terms", () => {
  it("finds two adjacent characters, and not the same two apart", async () => {
    expect(await search("渋谷")).toEqual(["渋谷ロケ_01.mov"]);
    expect(await search("谷")).toEqual(["渋 谷.mov", "渋谷ロケ_01.mov"].sort());
    expect(await search("夜")).toEqual(["夜景.jpg"]);
  });

  it("folds width and case (NFKC) and takes LIKE wildcards and quotes literally", async () => {
    expect(await search("x")).toEqual(["Ｘ線.png"]);
    expect(await search("X線")).toEqual(["Ｘ線.png"]);
    expect(await search("_c")).toEqual(["ab_c.csv"]);
    expect(await search("%")).toEqual(["a%b.csv"]);
    expect(await search('"')).toEqual(['q"uote.csv']);
  });

  it("combines short and long terms (AND)", async () => {
    expect(await search("谷 ロケ_0")).toEqual(["渋谷ロケ_01.mov"]);
    expect(await search("谷 夜")).toEqual([]);
  });

  it("migration 0005 gives rows written before it the marked copy, and short terms find them again", async () => {
    const db = env.TENANT_DB_S0;
    const id = ids.get("夜景.jpg")!;
    const expected = searchTextOf("夜景.jpg", [], {}, new Map());
    const stored = await db.prepare("SELECT search_text AS t FROM assets WHERE id = ?").bind(id).first<{ t: string }>();
    expect(stored?.t).toBe(expected);
    // The row as it was before: the plain text only.
    await db.prepare("UPDATE assets SET search_text = ? WHERE id = ?").bind(expected.split("\n")[0], id).run();
    expect(await search("夜")).toEqual([]);
    expect(await search("夜景.")).toEqual(["夜景.jpg"]);
    const migration = env.TEST_TENANT_MIGRATIONS.find((m) => m.name.startsWith("0005_"))!;
    for (const query of migration.queries) await db.prepare(query).run();
    const migrated = await db.prepare("SELECT search_text AS t FROM assets WHERE id = ?").bind(id).first<{ t: string }>();
    expect(migrated?.t).toBe(expected);
    expect(await search("夜")).toEqual(["夜景.jpg"]);
    // Rows that already had it are left alone.
    const other = await db.prepare("SELECT search_text AS t FROM assets WHERE id = ?").bind(ids.get("渋谷ロケ_01.mov")!).first<{ t: string }>();
    expect(other?.t).toBe(searchTextOf("渋谷ロケ_01.mov", [], {}, new Map()));
  });
});
