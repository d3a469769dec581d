/**
 * Assets benchmark: the floor worker, and the seeder.
 *
 * It is bound to the same local D1 database as the app (binding and
 * database_id of TENANT_DB_S0, same --persist-to directory), so `/floor/*`
 * runs Kura's own SQL on the very same file with none of Kura's work around
 * it (no authentication, no permission lookups, no row mapping):
 *
 *  - `/floor/list`  the statement Kura's listAssets sends for a browse or
 *                   search page (text captured from drizzle, see SQL below);
 *  - `/floor/put`   a plain streamed `BUCKET.put(key, request.body)`.
 *
 * `/seed*` writes realistic asset rows straight into the database (the same
 * columns Kura's upload and processing fill, search_text made by Kura's own
 * searchTextOf), `/explain` returns EXPLAIN QUERY PLAN for the floor's
 * statements. None of this is deployed.
 */
import { normaliseTags } from "../../app/.server/assets/assets.server";
import { nameKeyOf } from "../../app/.server/assets/view.server";
import { newId } from "../../app/.server/ids/ids";
import { searchTextOf } from "../../app/.server/metadata/values.server";
import { backedUpTables, quotedIdentifier } from "../../app/.server/backups/tables.server";

type Env = { TENANT_DB_S0: D1Database; CONTROL_DB: D1Database; BUCKET: R2Bucket; ASSETS: R2Bucket };

/**
 * The SELECT drizzle builds for a listing (`assetListColumns`: what the
 * Asset object and the cursor need, not the search text), as Kura's
 * listAssets builds it (printed with drizzle's toSQL); the WHERE clauses below are the ones listAssets adds for tenant +
 * project, the keyset cursor (-createdAt) and `q` (one FTS5 phrase; for terms
 * under three characters the caller sends the boundary-marked phrase).
 *
 * A search is two statements in one batch, as in Kura (search.server.ts,
 * searchLimit): "hits" reads the FTS hits by rowid and sorts them, "walk"
 * walks the project's index and tests each row's search text for the term
 * (instr, as Kura's substringTests); each one's LIMIT is 0 unless the hit
 * count in the project (up to 1,001) calls for its plan, so only one of them
 * reads rows.
 */
const SELECT =
  'select "id", "project_id", "folder_id", "name", "name_key", "size", "content_type", "kind", "status", "problem", "sha256", "created_at", "created_by", "updated_at", "tags", "color_label", "metadata", "technical", "thumbnail_size" from "assets"';
const BASE = '"assets"."tenant_id" = ? and "assets"."project_id" = ?';
const BASE_HITS = '+"assets"."tenant_id" = ? and +"assets"."project_id" = ?';
const FTS = '"assets"."rid" IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?)';
const SUBSTRING = 'instr("assets"."search_text", ?) > 0';
const CURSOR = '("assets"."created_at", "assets"."id") < (?, ?)';
const ORDER = ' order by "assets"."created_at" desc, "assets"."id" desc limit ';
// The hits are counted in the caller's project, as Kura does since issue #10 (never across the shard).
const FEW =
  "(SELECT count(*) FROM (SELECT 1 FROM assets_fts JOIN assets AS hit ON hit.rid = assets_fts.rowid WHERE assets_fts MATCH ? AND +hit.tenant_id = ? AND +hit.project_id = ? LIMIT ?)) <= ?";
const FEW_HITS = 1000;

type ListParams = { tenant: string; project: string; fts?: string; term?: string; cursor?: { v: string; id: string }; limit: number };

/** The page statements for these parameters: one for browsing, a search's two plans. */
export function listStatements(p: ListParams): { sql: string; params: unknown[] }[] {
  const plans: ("hits" | "walk" | null)[] = p.fts === undefined ? [null] : ["hits", "walk"];
  return plans.map((plan) => {
    const where = [plan === "hits" ? BASE_HITS : BASE];
    const params: unknown[] = [p.tenant, p.project];
    if (plan === "hits") {
      where.push(FTS);
      params.push(p.fts);
    }
    if (plan === "walk") {
      where.push(SUBSTRING);
      params.push(p.term ?? "");
    }
    if (p.cursor) {
      where.push(CURSOR);
      params.push(p.cursor.v, p.cursor.id);
    }
    let limit = "?";
    if (plan) {
      limit = `CASE WHEN ${FEW} THEN ${plan === "hits" ? "? ELSE 0" : "0 ELSE ?"} END`;
      params.push(p.fts, p.tenant, p.project, FEW_HITS + 1, FEW_HITS);
    }
    params.push(p.limit);
    return { sql: `${SELECT} where (${where.join(" and ")})${ORDER}${limit}`, params };
  });
}

function listParams(url: URL) {
  const s = url.searchParams;
  const v = s.get("v");
  const id = s.get("id");
  return {
    tenant: s.get("tenant") ?? "",
    project: s.get("project") ?? "",
    fts: s.get("fts") ?? undefined,
    term: s.get("term") ?? undefined,
    cursor: v && id ? { v, id } : undefined,
    limit: Number(s.get("limit") ?? "51"),
  };
}

/**
 * Diagnostic only: the kind and number of D1 queries Kura runs before its
 * list query on every API request (tenant and shard from the control plane;
 * session joined with its user, tenant settings and the project from the
 * tenant database), one after the other as Kura awaits them. Not Kura's exact
 * statements (the session is found by tenant rather than by token hash);
 * each is a lookup on a small table by key.
 */
async function kuraLookups(env: Env, tenant: string, project: string): Promise<void> {
  const t = await env.CONTROL_DB.prepare("SELECT id, slug, name, shard_key, status FROM tenants WHERE id = ?").bind(tenant).first<{ shard_key: string }>();
  await env.CONTROL_DB.prepare("SELECT * FROM shards WHERE key = ?")
    .bind(t?.shard_key ?? "")
    .first();
  const db = env.TENANT_DB_S0;
  await db
    .prepare(
      "SELECT * FROM sessions INNER JOIN users ON users.id = sessions.user_id WHERE sessions.tenant_id = ? AND sessions.kind = 'api' AND sessions.expires_at > ? LIMIT 1",
    )
    .bind(tenant, new Date().toISOString())
    .first();
  await db.prepare('select "ip_allowlist", "require_2fa" from "tenant_settings" where "tenant_settings"."tenant_id" = ?').bind(tenant).first();
  await db
    .prepare('select "id", "tenant_id", "name", "created_at", "created_by" from "projects" where ("projects"."tenant_id" = ? and "projects"."id" = ?)')
    .bind(tenant, project)
    .first();
}

// ---------------------------------------------------------------- seeding

/** Deterministic pseudo-random numbers from an integer (mulberry32 step). */
function rand(n: number, salt: number): number {
  let t = (n * 2654435761 + salt * 97531) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const pad = (n: number) => String(n).padStart(5, "0");
const PEOPLE = ["tanaka", "suzuki", "sato", "yamamoto", "kobayashi", "ito"];
/** [weight, name, content type, kind] — a production company's project. */
const KINDS: [number, (n: number) => string, string, "video" | "audio" | "image" | "other"][] = [
  [12, (n) => `渋谷ロケ_${pad(n)}.mov`, "video/quicktime", "video"],
  [12, (n) => `新宿_夜景_${pad(n)}.mp4`, "video/mp4", "video"],
  [12, (n) => `interview_${PEOPLE[n % PEOPLE.length]}_${pad(n)}.wav`, "audio/wav", "audio"],
  [11, (n) => `大阪ロケハン_${pad(n)}.jpg`, "image/jpeg", "image"],
  [10, (n) => `京都_神社_${pad(n)}.jpg`, "image/jpeg", "image"],
  [10, (n) => `B-roll_drone_${pad(n)}.mp4`, "video/mp4", "video"],
  [4, (n) => `ＳＨＩＢＵＹＡ_cam${(n % 4) + 1}_${pad(n)}.MOV`, "video/quicktime", "video"],
  [10, (n) => `宣材写真_${pad(n)}.png`, "image/png", "image"],
  [9, (n) => `台本_第${(n % 9) + 1}稿_${pad(n)}.pdf`, "application/pdf", "other"],
  [10, (n) => `BGM_${pad(n)}.mp3`, "audio/mpeg", "audio"],
];
const TOTAL_WEIGHT = KINDS.reduce((s, k) => s + k[0], 0);
const TAGS = ["b-roll", "interview", "4k", "drone", "承認済み", "要確認", "夜景", "ロケハン", "final", "raw", "クライアント確認", "音声"];
const START = Date.UTC(2024, 5, 1);
const SPAN = 2 * 365 * 24 * 3600 * 1000;

function hex(n: number, salt: number, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++)
    out += Math.floor(rand(n, salt + i) * 0x100000000)
      .toString(16)
      .padStart(8, "0");
  return out.slice(0, length);
}

/** One asset row as Kura would hold it after upload and processing. */
function assetRow(n: number, total: number, tenant: string, project: string, createdBy: string) {
  let pick = rand(n, 1) * TOTAL_WEIGHT;
  let k = KINDS[0]!;
  for (const candidate of KINDS) {
    k = candidate;
    pick -= candidate[0];
    if (pick < 0) break;
  }
  // A rare subject, so that selective searches are measured too: 1 in 5,000.
  const name = n % 5000 === 4999 ? `金閣寺_空撮_${pad(n)}.mov` : k[1](n);
  const [contentType, kind] = n % 5000 === 4999 ? ["video/quicktime", "video" as const] : [k[2], k[3]];
  const tagCount = 1 + Math.floor(rand(n, 2) * 4);
  const tags = normaliseTags(Array.from({ length: tagCount }, (_, i) => TAGS[Math.floor(rand(n, 10 + i) * TAGS.length)]!));
  const created = new Date(START + Math.floor((n / total) * SPAN) + Math.floor(rand(n, 3) * 60_000)).toISOString();
  const processed = new Date(Date.parse(created) + 5_000 + Math.floor(rand(n, 4) * 60_000)).toISOString();
  const r = rand(n, 5);
  let size: number;
  let technical: Record<string, unknown>;
  let duration: number | null = null;
  let width: number | null = null;
  let height: number | null = null;
  if (kind === "video") {
    duration = Math.round((5 + r * 1200) * 100) / 100;
    [width, height] = r < 0.5 ? [3840, 2160] : [1920, 1080];
    size = Math.floor(duration * (width === 3840 ? 12_500_000 : 6_000_000));
    technical = {
      container: contentType === "video/mp4" ? "mp4" : "mov",
      durationSeconds: duration,
      width,
      height,
      frameRate: 29.97,
      videoCodec: "h264",
      audioCodec: "aac",
      audioChannels: 2,
      audioSampleRate: 48000,
      bitRate: width === 3840 ? 100_000_000 : 48_000_000,
      startTimecode: "01:00:00;00",
    };
  } else if (kind === "audio") {
    duration = Math.round((10 + r * 3600) * 100) / 100;
    size = Math.floor(duration * (contentType === "audio/wav" ? 288_000 : 40_000));
    technical = {
      container: contentType === "audio/wav" ? "wav" : "mp3",
      durationSeconds: duration,
      audioCodec: contentType === "audio/wav" ? "pcm_s24le" : "mp3",
      audioChannels: 2,
      audioSampleRate: 48000,
    };
  } else if (kind === "image") {
    [width, height] = r < 0.5 ? [6000, 4000] : [4032, 3024];
    size = Math.floor(2_000_000 + r * 30_000_000);
    technical = { width, height, exif: { make: "SONY", model: "ILCE-7M4", dateTimeOriginal: created } };
  } else {
    size = Math.floor(100_000 + r * 5_000_000);
    technical = {};
  }
  return {
    id: newId("asset"),
    tenant_id: tenant,
    project_id: project,
    name,
    name_key: nameKeyOf(name),
    size,
    content_type: contentType,
    kind,
    sha256: hex(n, 20, 64),
    etag: `"${hex(n, 40, 32)}"`,
    technical: JSON.stringify(technical),
    duration_seconds: duration,
    width,
    height,
    tags: JSON.stringify(tags),
    t: tags,
    search_text: searchTextOf(name, tags, {}, new Map()),
    created_at: created,
    created_by: createdBy,
    processed_at: processed,
  };
}

const COLUMNS = [
  "id",
  "tenant_id",
  "project_id",
  "name",
  "name_key",
  "size",
  "content_type",
  "kind",
  "sha256",
  "etag",
  "technical",
  "duration_seconds",
  "width",
  "height",
  "tags",
  "search_text",
  "created_at",
  "created_by",
  "processed_at",
];

/** `/seed`: `count` rows from row `start` of `total` into the project (also the sharing bench's seeder). */
export async function seed(env: Pick<Env, "TENANT_DB_S0">, url: URL): Promise<Response> {
  const s = url.searchParams;
  const tenant = s.get("tenant")!;
  const project = s.get("project")!;
  const createdBy = s.get("createdBy")!;
  const start = Number(s.get("start"));
  const count = Number(s.get("count"));
  const total = Number(s.get("total"));
  const rows = Array.from({ length: count }, (_, i) => assetRow(start + i, total, tenant, project, createdBy));
  const json = JSON.stringify(rows);
  const db = env.TENANT_DB_S0;
  // status 'ready', updated_at = processed_at: a processed asset. The FTS trigger indexes each row.
  await db.batch([
    db
      .prepare(
        `INSERT INTO assets (${COLUMNS.join(", ")}, status, updated_at)
       SELECT ${COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(", ")}, 'ready', json_extract(value, '$.processed_at') FROM json_each(?1)`,
      )
      .bind(json),
    db
      .prepare(
        `INSERT INTO asset_tags (tenant_id, project_id, asset_id, tag)
       SELECT ?2, ?3, json_extract(e.value, '$.id'), t.value FROM json_each(?1) AS e, json_each(json_extract(e.value, '$.t')) AS t`,
      )
      .bind(json, tenant, project),
  ]);
  return Response.json({ inserted: count });
}

/** project_usage (and today's usage_daily) as Kura keeps them: the sums of the rows. */
async function seedUsage(env: Env, tenant: string): Promise<Response> {
  const db = env.TENANT_DB_S0;
  await db.batch([
    db
      .prepare(
        `INSERT INTO project_usage (project_id, tenant_id, bytes, assets)
       SELECT project_id, tenant_id, sum(size), count(*) FROM assets WHERE tenant_id = ?1 GROUP BY project_id
       ON CONFLICT (project_id) DO UPDATE SET bytes = excluded.bytes, assets = excluded.assets`,
      )
      .bind(tenant),
    db
      .prepare(
        `INSERT INTO usage_daily (tenant_id, day, bytes, assets)
       SELECT ?1, ?2, coalesce(sum(bytes), 0), coalesce(sum(assets), 0) FROM project_usage WHERE tenant_id = ?1
       ON CONFLICT (tenant_id, day) DO UPDATE SET bytes = excluded.bytes, assets = excluded.assets`,
      )
      .bind(tenant, new Date().toISOString().slice(0, 10)),
  ]);
  return Response.json(
    await db
      .prepare("SELECT project_id, bytes, assets FROM project_usage WHERE tenant_id = ?1")
      .bind(tenant)
      .all()
      .then((r) => r.results),
  );
}

// ---------------------------------------------------------------- backup floor (bench/backups)

/** Parts as Kura writes them: JSON lines, at most 4 MiB each. */
const PART_BYTES = 4 * 1024 * 1024;
const PAGE_ROWS = 5000;

/**
 * The floor of a backup: the same rows of the same tables (Kura's dumped tables), read in pages
 * and written to R2 as ≤4 MiB JSON-lines parts, then read back and counted. None of Kura's work:
 * no consistent staging copy, no sealing, no manifest, no verification restore.
 */
async function floorBackup(env: Env, tenant: string): Promise<Response> {
  const db = env.TENANT_DB_S0;
  let part = 0;
  let buffer: string[] = [];
  let bufferBytes = 0;
  let rows = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    await env.BUCKET.put(`floor-backup/${tenant}/part-${String(part++).padStart(5, "0")}.jsonl`, buffer.join(""));
    buffer = [];
    bufferBytes = 0;
  };
  for (const table of backedUpTables()) {
    for (let after = 0; ;) {
      const page = await db
        .prepare(`SELECT rowid AS _r, * FROM ${quotedIdentifier(table.name)} WHERE tenant_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ${PAGE_ROWS}`)
        .bind(tenant, after)
        .all<Record<string, unknown>>();
      for (const row of page.results) {
        const line = `${JSON.stringify({ t: table.name, r: row })}\n`;
        buffer.push(line);
        bufferBytes += line.length;
        rows++;
        if (bufferBytes >= PART_BYTES) await flush();
      }
      if (page.results.length < PAGE_ROWS) break;
      after = page.results.at(-1)!._r as number;
    }
  }
  await flush();
  // Read back, as a verification would.
  let readRows = 0;
  for (let i = 0; i < part; i++) {
    const text = await (await env.BUCKET.get(`floor-backup/${tenant}/part-${String(i).padStart(5, "0")}.jsonl`))!.text();
    readRows += text.split("\n").filter(Boolean).length;
  }
  return Response.json({ rows, readRows, parts: part });
}

/** The floor of a restore: the parts read, the tenant's rows of each table deleted and inserted again from them. */
async function floorRestore(env: Env, tenant: string): Promise<Response> {
  const db = env.TENANT_DB_S0;
  const byTable = new Map<string, Record<string, unknown>[]>();
  const listed = await env.BUCKET.list({ prefix: `floor-backup/${tenant}/` });
  for (const o of listed.objects) {
    const text = await (await env.BUCKET.get(o.key))!.text();
    for (const line of text.split("\n")) {
      if (!line) continue;
      const { t, r } = JSON.parse(line) as { t: string; r: Record<string, unknown> };
      delete r._r;
      if (!byTable.has(t)) byTable.set(t, []);
      byTable.get(t)!.push(r);
    }
  }
  const tables = backedUpTables();
  const statements: D1PreparedStatement[] = [];
  for (const table of [...tables].reverse()) statements.push(db.prepare(`DELETE FROM ${quotedIdentifier(table.name)} WHERE tenant_id = ?1`).bind(tenant));
  let rows = 0;
  for (const table of tables) {
    const all = byTable.get(table.name) ?? [];
    const columns = table.columns.filter((c) => !(table.policy.notRestored ?? []).includes(c));
    for (let i = 0; i < all.length; i += 1000) {
      const chunk = all.slice(i, i + 1000);
      rows += chunk.length;
      statements.push(
        db
          .prepare(
            `INSERT INTO ${quotedIdentifier(table.name)} (${columns.map(quotedIdentifier).join(", ")}) SELECT ${columns.map((c) => `json_extract(value, '$.${c}')`).join(", ")} FROM json_each(?1)`,
          )
          .bind(JSON.stringify(chunk)),
      );
    }
  }
  await db.batch(statements);
  return Response.json({ rows });
}

/**
 * Where Kura's backup time went before ADR 0029 (bench/backups --probe): the staging statements of
 * format 1 timed pass by pass on the same file, outside Kura: the copy into backup_rows one row
 * per row (INSERT … SELECT json_object, all tables in one batch), reading the staged rows back in
 * pages of 5,000, and deleting them.
 */
async function probeBackupPasses(env: Env, tenant: string): Promise<Response> {
  const db = env.TENANT_DB_S0;
  const run = `probe_${Date.now()}`;
  const t0 = performance.now();
  await db.batch(
    backedUpTables().map((t) =>
      db
        .prepare(
          `INSERT INTO backup_rows (tenant_id, run_id, table_name, row) SELECT ?1, ?2, '${t.name}', json_object(${t.columns.map((c) => `'${c}', ${quotedIdentifier(c)}`).join(", ")}) FROM ${quotedIdentifier(t.name)} WHERE tenant_id = ?1`,
        )
        .bind(tenant, run),
    ),
  );
  const t1 = performance.now();
  let rows = 0;
  for (let after = 0; ;) {
    const { results } = await db
      .prepare("SELECT id, table_name AS t, row FROM backup_rows WHERE tenant_id = ? AND run_id = ? AND id > ? ORDER BY id LIMIT 5000")
      .bind(tenant, run, after)
      .all<{ id: number }>();
    rows += results.length;
    if (results.length < 5000) break;
    after = results.at(-1)!.id;
  }
  const t2 = performance.now();
  await db.prepare("DELETE FROM backup_rows WHERE tenant_id = ? AND run_id = ?").bind(tenant, run).run();
  const t3 = performance.now();
  return Response.json({ rows, stageSeconds: (t1 - t0) / 1000, readSeconds: (t2 - t1) / 1000, deleteSeconds: (t3 - t2) / 1000 });
}

/**
 * Kura's staging as of ADR 0029, timed pass by pass outside Kura on the same file (bench/backups
 * --probe): the tenant's rows copied as groups of about `groupBytes` of JSON lines over rowid
 * ranges (rows as arrays, or as objects as format 1 wrote them), read back in ~4 MiB queries, and
 * deleted.
 */
async function probeGroupedPasses(env: Env, tenant: string, groupBytes: number, arrays: boolean): Promise<Response> {
  const db = env.TENANT_DB_S0;
  const run = `probeg_${Date.now()}`;
  const perRead = Math.ceil((4 * 1024 * 1024) / groupBytes);
  const t0 = performance.now();
  await db.batch(
    backedUpTables().map((t) => {
      const estimate = t.columns.map((c) => `COALESCE(octet_length(${quotedIdentifier(c)}), 4) + 3`).join(" + ");
      const row = arrays
        ? `json_array(${t.columns.map((c) => quotedIdentifier(c)).join(", ")})`
        : `json_object(${t.columns.map((c) => `'${c}', ${quotedIdentifier(c)}`).join(", ")})`;
      return db
        .prepare(
          `WITH copy_sized AS (SELECT rowid AS r, SUM(${estimate}) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) / ${groupBytes} AS g FROM ${quotedIdentifier(t.name)} WHERE tenant_id = ?1), copy_groups AS (SELECT g, MAX(r) AS hi, COUNT(*) AS n FROM copy_sized GROUP BY g), copy_bounds AS (SELECT hi, n, COALESCE(LAG(hi) OVER (ORDER BY g), -9223372036854775808) AS lo FROM copy_groups) INSERT INTO backup_rows (tenant_id, run_id, table_name, lines, row) SELECT ?1, ?2, '${t.name}', n, (SELECT group_concat(line, char(10)) FROM (SELECT '{"t":"${t.name}","r":' || ${row} || '}' AS line FROM ${quotedIdentifier(t.name)} WHERE tenant_id = ?1 AND rowid > copy_bounds.lo AND rowid <= copy_bounds.hi ORDER BY rowid)) FROM copy_bounds ORDER BY hi`,
        )
        .bind(tenant, run);
    }),
  );
  const t1 = performance.now();
  let groups = 0;
  let bytes = 0;
  for (let after = 0; ;) {
    const { results } = await db
      .prepare("SELECT id, row FROM backup_rows WHERE tenant_id = ? AND run_id = ? AND id > ? ORDER BY id LIMIT ?")
      .bind(tenant, run, after, perRead)
      .all<{ id: number; row: string }>();
    groups += results.length;
    for (const r of results) bytes += r.row.length;
    if (results.length < perRead) break;
    after = results.at(-1)!.id;
  }
  const t2 = performance.now();
  await db.prepare("DELETE FROM backup_rows WHERE tenant_id = ? AND run_id = ?").bind(tenant, run).run();
  const t3 = performance.now();
  return Response.json({
    groupBytes,
    arrays,
    groups,
    characters: bytes,
    stageSeconds: (t1 - t0) / 1000,
    readSeconds: (t2 - t1) / 1000,
    deleteSeconds: (t3 - t2) / 1000,
  });
}

/** For the purge bench: `count` small objects under the tenant's prefix in the app's ASSETS bucket. */
async function seedObjects(env: Env, url: URL): Promise<Response> {
  const tenant = url.searchParams.get("tenant")!;
  const start = Number(url.searchParams.get("start"));
  const count = Number(url.searchParams.get("count"));
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      env.ASSETS.put(`tenants/${tenant}/assets/bench${String(start + i).padStart(7, "0")}/original`, `object ${start + i} of the purge bench`),
    ),
  );
  return Response.json({ put: count });
}

// ---------------------------------------------------------------- handler

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const db = env.TENANT_DB_S0;
    switch (url.pathname) {
      case "/floor/list": {
        const p = listParams(url);
        if (url.searchParams.has("lookups")) await kuraLookups(env, p.tenant, p.project);
        const statements = listStatements(p);
        const out = await db.batch(statements.map(({ sql, params }) => db.prepare(sql).bind(...params)));
        return Response.json(out.flatMap((r) => r.results));
      }
      case "/floor/put": {
        const object = await env.BUCKET.put(url.searchParams.get("key") ?? "floor", request.body);
        return Response.json({ size: object?.size, etag: object?.etag });
      }
      case "/explain": {
        const statements = listStatements(listParams(url));
        const plans = await db.batch(statements.map(({ sql, params }) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params)));
        return Response.json({ sql: statements.map((s) => s.sql), plan: plans.flatMap((p, i) => [{ detail: `-- statement ${i + 1}` }, ...p.results]) });
      }
      case "/seed":
        return seed(env, url);
      case "/floor/backup":
        return floorBackup(env, url.searchParams.get("tenant") ?? "");
      case "/floor/restore":
        return floorRestore(env, url.searchParams.get("tenant") ?? "");
      case "/probe/backup-passes":
        return probeBackupPasses(env, url.searchParams.get("tenant") ?? "");
      case "/probe/grouped-passes":
        return probeGroupedPasses(env, url.searchParams.get("tenant") ?? "", Number(url.searchParams.get("bytes") ?? "65536"), url.searchParams.has("arrays"));
      case "/seed/objects":
        return seedObjects(env, url);
      case "/seed/usage":
        return seedUsage(env, url.searchParams.get("tenant") ?? "");
      case "/count": {
        const row = await db
          .prepare(
            "SELECT count(*) AS assets, (SELECT count(*) FROM asset_tags WHERE project_id = ?1) AS tags, (SELECT count(*) FROM assets_fts WHERE assets_fts MATCH ?2) AS fts_shibuya_all_projects, sum(color_label IS NOT NULL) AS labelled FROM assets WHERE project_id = ?1",
          )
          .bind(url.searchParams.get("project") ?? "", '"渋谷ロケ"')
          .first();
        return Response.json(row);
      }
      case "/nth": {
        // The sort key of the row at `offset` in -createdAt order: a cursor deep into the project.
        const row = await db
          .prepare("SELECT created_at, id FROM assets WHERE project_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?2")
          .bind(url.searchParams.get("project") ?? "", Number(url.searchParams.get("offset") ?? "0"))
          .first();
        return Response.json(row);
      }
      case "/asset-status": {
        const row = await db
          .prepare("SELECT status FROM assets WHERE id = ?1")
          .bind(url.searchParams.get("id") ?? "")
          .first<{ status: string }>();
        return Response.json(row);
      }
      case "/ids": {
        const { results } = await db
          .prepare("SELECT id FROM assets WHERE project_id = ?1 ORDER BY rid")
          .bind(url.searchParams.get("project") ?? "")
          .all<{ id: string }>();
        return Response.json(results.map((r) => r.id));
      }
      case "/status":
        return Response.json({ ok: true });
    }
    return new Response("not found", { status: 404 });
  },
};
