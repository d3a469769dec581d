/**
 * A search page is read by one of two plans (search.server.ts, searchLimit):
 * up to 1,000 hits in the shard, the hits are read by rowid and sorted;
 * above, the project's sort index is walked, each row's search text tested. Both must give exactly the rows
 * and order of the plain definition (the project's assets whose search text
 * contains the term, in the requested order), in every sort, across pages,
 * on both sides of the threshold, and never another project's or tenant's
 * rows. The rows are written straight into the shard (as the benchmark
 * does), so that more than a thousand match.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { nameKeyOf } from "~/.server/assets/view.server";
import { newId } from "~/.server/ids/ids";
import { searchTextOf } from "~/.server/metadata/values.server";
import { call } from "../../support/http";
import { shardOf } from "../../support/shards";
import { recordStatements } from "../../support/statements";
import { buildWorld, expectJson, type World } from "../../support/world";

type Row = { id: string; tenant_id: string; project_id: string; name: string; name_key: string; size: number; created_at: string; search_text: string };
type Page = { items: { id: string }[]; nextCursor: string | null };

let w: World;
const rows: Row[] = [];

/** n-th asset's name: every one has 渋谷 (1,500 hits), 1,000 have 新宿 and 1,001 have 浅草 (the two sides of the threshold), 30 have 金閣寺. */
function nameOf(n: number): string {
  const parts = ["渋谷"];
  if (n < 1000) parts.push("新宿");
  if (n >= 499) parts.push("浅草");
  if (n % 50 === 7) parts.push("金閣寺");
  return `${parts.join("_")}_${String(n).padStart(5, "0")}.mov`;
}

function row(n: number, tenantId: string, projectId: string): Row {
  const name = nameOf(n);
  return {
    id: newId("asset"),
    tenant_id: tenantId,
    project_id: projectId,
    name,
    name_key: nameKeyOf(name),
    // Sizes and times repeat, so ties are broken by id in every sort.
    size: 1000 + (n % 37),
    created_at: new Date(Date.UTC(2026, 0, 1) + (n % 400) * 60_000).toISOString(),
    search_text: searchTextOf(name, [], {}, new Map()),
  };
}

async function insert(tenantId: string, batch: Row[]) {
  const db = await shardOf(tenantId);
  const columns = ["id", "tenant_id", "project_id", "name", "name_key", "size", "created_at", "search_text"] as const;
  await db
    .prepare(
      `INSERT INTO assets (${columns.join(", ")}, content_type, kind, status, updated_at)
       SELECT ${columns.map((c) => `json_extract(value, '$.${c}')`).join(", ")}, 'video/quicktime', 'video', 'ready', json_extract(value, '$.created_at') FROM json_each(?1)`,
    )
    .bind(JSON.stringify(batch))
    .run();
}

beforeAll(async () => {
  w = await buildWorld("plans");
  for (let n = 0; n < 1500; n++) rows.push(row(n, w.tenantA.id, w.p1));
  // Names of the same kind in another project and in another tenant on the same shard: hits that
  // must never show. None has 新宿, so that term has exactly 1,000 hits in the whole shard.
  const p2 = Array.from({ length: 200 }, (_, n) => row(1000 + n, w.tenantA.id, w.p2));
  const otherTenantProject = (
    await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", token: w.users.otherTenantAdmin.token, json: { name: "B" } }), 201)
  ).id;
  const b = Array.from({ length: 200 }, (_, n) => row(1000 + n, w.tenantB.id, otherTenantProject));
  for (let i = 0; i < rows.length; i += 500) await insert(w.tenantA.id, rows.slice(i, i + 500));
  await insert(w.tenantA.id, p2);
  await insert(w.tenantB.id, b);
}, 120_000);

const SORTS: Record<string, (a: Row, b: Row) => number> = {
  createdAt: (a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1),
  name: (a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id < b.id ? -1 : 1),
  size: (a, b) => (a.size !== b.size ? a.size - b.size : a.id < b.id ? -1 : 1),
};

function expected(term: string, sort: string): string[] {
  const key = sort.replace(/^-/, "");
  const sorted = rows.filter((r) => r.name.includes(term)).sort(SORTS[key]!);
  return (sort.startsWith("-") ? sorted.reverse() : sorted).map((r) => r.id);
}

async function pageAll(term: string, sort: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res: Page = await expectJson<Page>(
      call(
        `/api/v1/projects/${w.p1}/assets?q=${encodeURIComponent(term)}&sort=${sort}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token: w.users.tenantAdmin.token },
      ),
      200,
    );
    ids.push(...res.items.map((i) => i.id));
    if (!res.nextCursor) return ids;
    cursor = res.nextCursor;
  }
  throw new Error("did not finish paging");
}

describe("search plans", () => {
  it("the seeded hit counts straddle the threshold", () => {
    expect(rows.filter((r) => r.name.includes("新宿")).length).toBe(1000);
    expect(rows.filter((r) => r.name.includes("浅草")).length).toBe(1001);
    expect(rows.filter((r) => r.name.includes("金閣寺")).length).toBe(30);
  });

  it("a rare term (hits read by rowid) gives exactly the matching rows, in every sort, across pages", async () => {
    for (const sort of ["-createdAt", "createdAt", "name", "-name", "size", "-size"]) {
      expect(await pageAll("金閣寺", sort, 7), sort).toEqual(expected("金閣寺", sort));
    }
  }, 120_000);

  it("a common term (index walked) gives exactly the matching rows, across pages", async () => {
    for (const sort of ["-createdAt", "name", "-size"]) {
      expect(await pageAll("渋谷", sort, 200), sort).toEqual(expected("渋谷", sort));
    }
  }, 120_000);

  it("the same at 1,000 and at 1,001 hits, either side of the threshold", async () => {
    // 新宿: 1,000 hits in the shard (all here): read by rowid. 浅草: 1,001 here (and more elsewhere): walked.
    expect(await pageAll("新宿", "-createdAt", 200)).toEqual(expected("新宿", "-createdAt"));
    expect(await pageAll("浅草", "name", 200)).toEqual(expected("浅草", "name"));
  }, 120_000);

  it("the walk plan tests each row it passes, never a list of every hit built first", async () => {
    // A first page must cost what it shows: with `rid IN (SELECT rowid … MATCH …)` SQLite
    // materialises every hit of the term (a LIST SUBQUERY) before it tests the first row.
    const recording = recordStatements();
    try {
      await expectJson<Page>(call(`/api/v1/projects/${w.p1}/assets?q=${encodeURIComponent("渋谷")}&limit=50`, { token: w.users.tenantAdmin.token }), 200);
    } finally {
      recording.stop();
    }
    const walk = recording.statements.filter((sql) => /from "assets"/i.test(sql) && /then 0 else \?/i.test(sql));
    expect(walk, "one walk statement").toHaveLength(1);
    const db = await shardOf(w.tenantA.id);
    const params = Array.from(walk[0]!.matchAll(/\?/g), () => "渋谷");
    const plan = await db
      .prepare(`EXPLAIN QUERY PLAN ${walk[0]}`)
      .bind(...params)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    // The hit count in the LIMIT reads the index (up to 1,001 hits); the page's WHERE must not.
    expect(
      details.filter((d) => /LIST SUBQUERY/.test(d)),
      details.join("\n"),
    ).toEqual([]);
    expect(
      details.some((d) => /USING (COVERING )?INDEX assets_project_created_idx/.test(d)),
      details.join("\n"),
    ).toBe(true);
  });

  it("first pages of two plans agree with browsing filtered in code", async () => {
    const browse = await expectJson<Page>(
      call(`/api/v1/projects/${w.p1}/assets?q=${encodeURIComponent("金閣寺 渋谷")}&limit=50`, { token: w.users.tenantAdmin.token }),
      200,
    );
    expect(browse.items.map((i) => i.id)).toEqual(expected("金閣寺", "-createdAt"));
  });
});
