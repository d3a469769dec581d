import { beforeAll, describe, expect, it } from "vitest";
import { pseudoRandomBytes, uploadAsset, waitProcessed } from "../../support/assets";
import { call, ORIGIN, browserSignIn } from "../../support/http";
import { auditTail, buildWorld, expectJson, PASSWORD, type Account, type World } from "../../support/world";
import { shardOf } from "../../support/shards";

/**
 * The asset screens through the real Worker with browser sessions: pages
 * are GET documents, forms are POSTed like a browser without JavaScript
 * (same-origin Origin header). Assets are created through the public API.
 */

type Fields = Record<string, string | string[]>;

function form(path: string, fields: Fields, cookie: string, lang = "en") {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return call(path, {
    method: "POST",
    body,
    redirect: "manual",
    headers: { Origin: ORIGIN, Host: new URL(ORIGIN).host, "Accept-Language": lang, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
}

function page(path: string, cookie: string, lang = "en") {
  return call(path, { redirect: "manual", headers: { "Accept-Language": lang, Cookie: cookie } });
}

async function html(res: Response | Promise<Response>, status = 200): Promise<string> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text.slice(0, 300)).toBe(status);
  return text;
}

/** A browser session of the account, through the sign-in page. */
function browserCookie(a: Account): Promise<string> {
  return browserSignIn({ tenant: a.tenantSlug, email: a.email, password: PASSWORD });
}

type ApiAsset = {
  id: string;
  name: string;
  status: string;
  tags: string[];
  metadata: Record<string, unknown>;
  colorLabel: string | null;
  folderId: string | null;
  sha256: string | null;
};

/** Uploads a small generated file through the API and waits until processing has finished. */
async function upload(w: World, projectId: string, name: string, opts: { type?: string; folderId?: string; bytes?: number } = {}): Promise<ApiAsset> {
  const token = w.users.tenantAdmin.token;
  const created = await uploadAsset(token, projectId, name, pseudoRandomBytes(opts.bytes ?? 2048, name.length + 7), {
    type: opts.type ?? "video/quicktime",
    ...(opts.folderId ? { folderId: opts.folderId } : {}),
  });
  return (await waitProcessed(token, created.id)) as unknown as ApiAsset;
}

async function apiAsset(w: World, id: string) {
  return expectJson<ApiAsset>(w.asAdmin(`/api/v1/assets/${id}`), 200);
}

/** Technical metadata as processing would have read it from a real camera file. */
async function setTechnical(tenantId: string, assetId: string, technical: Record<string, unknown>, contentType = "video/quicktime") {
  const db = await shardOf(tenantId);
  await db
    .prepare("UPDATE assets SET technical = ?, kind = 'video', content_type = ?, duration_seconds = ?, width = ?, height = ?, status = 'ready' WHERE id = ?")
    .bind(JSON.stringify(technical), contentType, technical.durationSeconds ?? null, technical.width ?? null, technical.height ?? null, assetId)
    .run();
}

let w: World;
let admin: string;
let viewer: string;
let member: string;

beforeAll(async () => {
  w = await buildWorld("uia");
  [admin, viewer, member] = await Promise.all([browserCookie(w.users.tenantAdmin), browserCookie(w.users.viewer), browserCookie(w.users.member)]);
}, 120_000);

describe("project browse", () => {
  it("shows names HTML-escaped, never as markup", async () => {
    const evil = "<img src=x onerror=alert(1)>.mov";
    await upload(w, w.p1, evil);
    const body = await html(page(`/projects/${w.p1}`, admin));
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;.mov");
    expect(body).not.toContain("<img src=x onerror");
    expect(body).toContain('data-testid="asset-browser"');
    expect(body).toContain('data-testid="upload-slot"');
  });

  it("finds Japanese substrings server-side and keeps the query in the form", async () => {
    await upload(w, w.p1, "渋谷ロケ_01.mov");
    await upload(w, w.p1, "大阪_夜景.mov");
    const body = await html(page(`/projects/${w.p1}?q=${encodeURIComponent("渋谷")}&scope=project`, admin, "ja"));
    expect(body).toContain('data-name="渋谷ロケ_01.mov"');
    expect(body).not.toContain('data-name="大阪_夜景.mov"');
    expect(body).toContain('value="渋谷"');
    // Sorting by name: both, A→Z order of their sort keys.
    const sorted = await html(page(`/projects/${w.p1}?sort=name`, admin));
    const names = [...sorted.matchAll(/data-testid="asset-item" data-name="([^"]+)"/g)].map((m) => m[1]);
    expect(names.indexOf("大阪_夜景.mov")).toBeGreaterThan(-1);
    expect(names.indexOf("渋谷ロケ_01.mov")).toBeGreaterThan(names.indexOf("大阪_夜景.mov"));
  });

  it("folders: create, browse with breadcrumbs, refuse to delete a non-empty one, then delete it empty", async () => {
    const created = await html(form(`/projects/${w.p1}?index`, { intent: "folder-create", name: "撮影素材", parentId: "" }, admin));
    expect(created).toContain("Folder “撮影素材” created.");
    const folderId = /href="\/projects\/[^"?]+\?folder=(fol_[a-z2-7]{26})"/.exec(created)![1]!;
    const sub = await html(form(`/projects/${w.p1}?index&folder=${folderId}`, { intent: "folder-create", name: "Day 1", parentId: folderId }, admin));
    const subId = [...sub.matchAll(/\?folder=(fol_[a-z2-7]{26})"/g)].map((m) => m[1]).find((id) => id !== folderId)!;
    const inside = await upload(w, w.p1, "clip-in-day1.mov", { folderId: subId });
    const subPage = await html(page(`/projects/${w.p1}?folder=${subId}`, admin));
    expect(subPage).toMatch(/<span aria-current="page">Day 1<\/span>/);
    expect(subPage).toContain(`href="/projects/${w.p1}?folder=${folderId}"`);
    expect(subPage).toContain('data-name="clip-in-day1.mov"');
    expect(subPage).not.toContain('data-name="渋谷ロケ_01.mov"');

    const refused = await html(form(`/projects/${w.p1}?index&folder=${folderId}`, { intent: "folder-delete", folderId: subId }, admin));
    expect(refused).toContain("Only empty folders can be deleted");
    const renamed = await html(form(`/projects/${w.p1}?index&folder=${folderId}`, { intent: "folder-rename", folderId: subId, name: "Day 01" }, admin));
    expect(renamed).toContain('data-name="Day 01"');

    // Moving the asset out (bulk move to the top level) empties the folder.
    await html(form(`/projects/${w.p1}?index&folder=${subId}`, { intent: "bulk-move", assetIds: inside.id, folderId: "" }, admin));
    expect((await apiAsset(w, inside.id)).folderId).toBeNull();
    const deleted = await html(form(`/projects/${w.p1}?index&folder=${folderId}`, { intent: "folder-delete", folderId: subId }, admin));
    expect(deleted).toContain("Folder deleted.");
    expect((await page(`/projects/${w.p1}?folder=${subId}`, admin)).status).toBe(404);
  });

  it("bulk edits the selection: tags, colour label, a metadata field; bad values are reported", async () => {
    const field = await expectJson<{ key: string }>(
      w.asAdmin("/api/v1/metadata-fields", { method: "POST", json: { key: "reel", label: "Reel", type: "number" } }),
      201,
    );
    const a = await upload(w, w.p1, "bulk-a.mov");
    const b = await upload(w, w.p1, "bulk-b.mov");
    const ids = `${a.id},${b.id}`;
    const tagged = await html(form(`/projects/${w.p1}?index`, { intent: "bulk-tag-add", assetIds: ids, tag: "選抜" }, admin));
    expect(tagged).toContain("2 assets updated.");
    await html(form(`/projects/${w.p1}?index`, { intent: "bulk-label", assetIds: ids, colorLabel: "green" }, admin));
    await html(form(`/projects/${w.p1}?index`, { intent: "bulk-metadata", assetIds: ids, field: field.key, value: "7" }, admin));
    for (const id of [a.id, b.id]) {
      const now = await apiAsset(w, id);
      expect(now.tags).toContain("選抜");
      expect(now.colorLabel).toBe("green");
      expect(now.metadata.reel).toBe(7);
    }
    const bad = await html(form(`/projects/${w.p1}?index`, { intent: "bulk-metadata", assetIds: ids, field: field.key, value: "seven" }, admin));
    expect(bad).toContain('data-testid="error-value"');
    expect(bad).toContain("Must be a number.");
    // The tag facet counts both, and links to the filter.
    const facets = await html(page(`/projects/${w.p1}`, admin));
    expect(facets).toMatch(/data-tag="選抜"[^>]*>.*?<span class="count">2<\/span>/s);
    const filtered = await html(page(`/projects/${w.p1}?tag=${encodeURIComponent("選抜")}`, admin));
    expect([...filtered.matchAll(/data-testid="asset-item"/g)].length).toBe(2);
    const removed = await html(form(`/projects/${w.p1}?index`, { intent: "bulk-tag-remove", assetIds: a.id, tag: "選抜" }, admin));
    expect(removed).toContain("1 assets updated.");
    expect((await apiAsset(w, a.id)).tags).not.toContain("選抜");
  });

  it("saved searches: save the current query, list it, apply it, delete it", async () => {
    const saved = await html(
      form(`/projects/${w.p1}?index`, { intent: "search-save", name: "渋谷の素材", search: `q=${encodeURIComponent("渋谷")}&kind=video&scope=project` }, admin),
    );
    expect(saved).toContain("Search “渋谷の素材” saved.");
    const id = /name="savedSearchId" value="([^"]+)"/.exec(saved)![1]!;
    expect(saved).toMatch(/href="\/projects\/[^"]+\?q=%E6%B8%8B%E8%B0%B7&amp;kind=video&amp;scope=project"/);
    const dup = await html(form(`/projects/${w.p1}?index`, { intent: "search-save", name: "渋谷の素材", search: "q=x" }, admin));
    expect(dup).toContain("You already have a saved search with this name here.");
    // Saved searches are personal: the member does not see it, and cannot delete it.
    expect(await html(page(`/projects/${w.p1}`, member))).not.toContain("渋谷の素材");
    expect((await form(`/projects/${w.p1}?index`, { intent: "search-delete", savedSearchId: id }, member)).status).toBe(404);
    const deleted = await html(form(`/projects/${w.p1}?index`, { intent: "search-delete", savedSearchId: id }, admin));
    expect(deleted).toContain("Saved search deleted.");
    expect(deleted).not.toContain(`value="${id}"`);
  });

  it("bulk delete and zip download", async () => {
    const a = await upload(w, w.p1, "zip-a.mov");
    const b = await upload(w, w.p1, "zip-b.mov");
    const zip = await call(`/projects/${w.p1}/zip`, {
      method: "POST",
      body: new URLSearchParams({ assetIds: `${a.id},${b.id}` }),
      headers: { Origin: ORIGIN, Host: new URL(ORIGIN).host, Cookie: admin, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(zip.status).toBe(200);
    expect(zip.headers.get("Content-Type")).toBe("application/zip");
    // Named after the project and the viewer's date, not "kura-download.zip": this admin has no zone
    // of their own, their tenant none and their browser sends no language, so Japanese and Asia/Tokyo.
    const tokyoDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    expect(zip.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent(`P1 渋谷ロケ_${tokyoDate}.zip`)}`);
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
    const viewerZip = await call(`/projects/${w.p1}/zip`, {
      method: "POST",
      body: new URLSearchParams({ assetIds: a.id }),
      headers: { Origin: ORIGIN, Host: new URL(ORIGIN).host, Cookie: viewer, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(viewerZip.status).toBe(403);
    const gone = await html(form(`/projects/${w.p1}?index`, { intent: "bulk-delete", assetIds: `${a.id},${b.id}` }, admin));
    expect(gone).toContain("2 assets deleted.");
    expect((await w.asAdmin(`/api/v1/assets/${a.id}`)).status).toBe(404);
  });

  it("a viewer sees no edit, delete or upload controls, and their posts are refused with 403 and recorded", async () => {
    const a = await upload(w, w.p1, "viewer-target.mov");
    const body = await html(page(`/projects/${w.p1}`, viewer));
    expect(body).toContain('data-name="viewer-target.mov"');
    expect(body).not.toContain('data-testid="upload-slot"');
    expect(body).not.toContain('name="intent" value="folder-create"');
    expect(body).toContain('data-testid="cap-search.use"');
    expect(body).not.toContain('data-testid="cap-asset.delete"');
    const before = (await auditTail(w.tenantA.id, 1))[0]?.seq ?? 0;
    for (const [intent, extra] of [
      ["bulk-delete", {}],
      ["bulk-tag-add", { tag: "x" }],
      ["folder-create", { name: "nope", parentId: "" }],
    ] as const) {
      const res = await form(`/projects/${w.p1}?index`, { intent, assetIds: a.id, ...extra }, viewer);
      expect(res.status, intent).toBe(403);
    }
    const events = (await auditTail(w.tenantA.id, 20)).filter((e) => e.seq > before);
    expect(events.filter((e) => e.action === "access.denied").length).toBeGreaterThanOrEqual(3);
    expect((await apiAsset(w, a.id)).tags).toEqual([]);
  });

  it("without a grant the page is a 404, another project's folder too", async () => {
    expect((await page(`/projects/${w.p1}`, await browserCookie(w.users.otherProject))).status).toBe(404);
    const folder = await expectJson<{ id: string }>(w.asAdmin(`/api/v1/projects/${w.p2}/folders`, { method: "POST", json: { name: "P2 folder" } }), 201);
    expect((await page(`/projects/${w.p1}?folder=${folder.id}`, admin)).status).toBe(404);
  });
});

/** Each tag facet of a page: its count and where its link goes. */
function facetsOf(body: string): Map<string, { count: number; href: string }> {
  const out = new Map<string, { count: number; href: string }>();
  for (const m of body.matchAll(/<a([^>]*data-testid="tag-facet"[^>]*)>.*?<span class="count">(\d+)<\/span>/gs)) {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1]!)?.[1] ?? "";
    out.set(attr("data-tag"), { href: attr("href").replaceAll("&amp;", "&"), count: Number(m[2]) });
  }
  return out;
}

describe("tag facets (defect 4: counts and the filter agree)", () => {
  it("a facet's count is the number of assets its link lists, at the root, in a folder and project-wide", async () => {
    const folder = await expectJson<{ id: string }>(w.asAdmin(`/api/v1/projects/${w.p2}/folders`, { method: "POST", json: { name: "facets" } }), 201);
    const tag = async (a: ApiAsset, tags: string[]) => expectJson(w.asAdmin(`/api/v1/assets/${a.id}`, { method: "PATCH", json: { tags } }), 200);
    for (const name of ["root-1.mov", "root-2.mov"]) await tag(await upload(w, w.p2, name), ["ロケハン"]);
    for (const name of ["in-1.mov", "in-2.mov", "in-3.mov"]) await tag(await upload(w, w.p2, name, { folderId: folder.id }), ["ロケハン", "本番"]);
    await tag(await upload(w, w.p2, "in-4.mov", { folderId: folder.id }), ["本番"]);
    // One asset stands out by its name, colour label and a metadata value (the other filters).
    await expectJson(w.asAdmin("/api/v1/metadata-fields", { method: "POST", json: { key: "facet_take", label: "Take", type: "number" } }), 201);
    const [odd] = (await expectJson<{ items: ApiAsset[] }>(w.asAdmin(`/api/v1/projects/${w.p2}/assets?q=${encodeURIComponent("in-4")}`), 200)).items;
    await expectJson(w.asAdmin(`/api/v1/assets/${odd!.id}`, { method: "PATCH", json: { colorLabel: "red", metadata: { facet_take: 7 } } }), 200);

    const listed = async (href: string) => [...(await html(page(href, admin))).matchAll(/data-testid="asset-item"/g)].length;
    const cases = [
      { at: `/projects/${w.p2}`, counts: { ロケハン: 2 } },
      { at: `/projects/${w.p2}?folder=${folder.id}`, counts: { ロケハン: 3, 本番: 4 } },
      { at: `/projects/${w.p2}?scope=project`, counts: { ロケハン: 5, 本番: 4 } },
      // With a tag chosen, the others count what the list would show with both.
      { at: `/projects/${w.p2}?folder=${folder.id}&tag=${encodeURIComponent("本番")}`, counts: { ロケハン: 3 } },
      // Every other filter of the list narrows the counts as well: the search text (read after the
      // guard), the colour label, and a metadata value (read after the tenant's fields).
      { at: `/projects/${w.p2}?scope=project&q=${encodeURIComponent("in-2")}`, counts: { ロケハン: 1, 本番: 1 } },
      { at: `/projects/${w.p2}?scope=project&colorLabel=red`, counts: { 本番: 1 } },
      { at: `/projects/${w.p2}?scope=project&meta=${encodeURIComponent("facet_take:7")}`, counts: { 本番: 1 } },
      { at: `/projects/${w.p2}?folder=${folder.id}&kind=image`, counts: {} },
    ];
    for (const c of cases) {
      const facets = facetsOf(await html(page(c.at, admin)));
      for (const [name, count] of Object.entries(c.counts)) {
        const facet = facets.get(name);
        expect(facet?.count, `${name} at ${c.at}`).toBe(count);
        expect(await listed(facet!.href), `${name} clicked at ${c.at}`).toBe(count);
      }
    }
    // The root lists no folder's assets, so it offers no facet for tags found only in folders;
    // a filter that leaves no asset leaves no facet, and one that leaves only 本番 drops ロケハン.
    expect(facetsOf(await html(page(`/projects/${w.p2}`, admin))).has("本番")).toBe(false);
    expect(facetsOf(await html(page(`/projects/${w.p2}?folder=${folder.id}&kind=image`, admin))).size).toBe(0);
    expect(facetsOf(await html(page(`/projects/${w.p2}?scope=project&colorLabel=red`, admin))).has("ロケハン")).toBe(false);
  });
});

describe("asset page", () => {
  it("shows technical values, the file facts and the player", async () => {
    const a = await upload(w, w.p1, "A001_C002.mov");
    await setTechnical(w.tenantA.id, a.id, {
      container: "QuickTime",
      durationSeconds: 754.52,
      width: 1920,
      height: 1080,
      frameRate: 29.97002997,
      videoCodec: "avc1 (H.264)",
      audioCodec: "aac",
      audioChannels: 2,
      audioSampleRate: 48000,
      bitRate: 24_500_000,
      startTimecode: "01:00:00;00",
      exif: { make: "Sony", model: "FX3", dateTimeOriginal: "2026-04-01T09:30:00+09:00", gps: { latitude: 35.659481, longitude: 139.700548 } },
    });
    const body = await html(page(`/projects/${w.p1}/assets/${a.id}`, admin));
    expect(body).toContain("A001_C002.mov");
    for (const text of ["QuickTime", "12:35", "1920×1080", "29.97 fps", "avc1 (H.264)", "48 kHz", "25 Mb/s", "01:00:00;00", "Sony FX3"]) {
      expect(body, text).toContain(text);
    }
    expect(body).toContain('href="https://www.openstreetmap.org/?mlat=35.659481&amp;mlon=139.700548#map=16/35.659481/139.700548"');
    expect(body).toContain(`/web/v1/assets/${a.id}/original?disposition=inline`);
    expect(body).toContain('data-testid="download-original"');
    const sha = (await apiAsset(w, a.id)).sha256;
    if (sha) expect(body).toContain(sha);

    // A viewer (no asset.download_original): never the original; the preview's job state (issue #13:
    // they watch the proxy once it exists), no download, no editing.
    const asViewer = await html(page(`/projects/${w.p1}/assets/${a.id}`, viewer, "ja"));
    expect(asViewer).not.toContain("disposition=inline");
    expect(asViewer).toContain('data-testid="media-status" data-status="queued"');
    expect(asViewer).toContain("プレビュー作成の順番待ち");
    expect(asViewer).not.toContain('data-testid="download-original"');
    expect(asViewer).not.toContain('data-testid="metadata-form"');
    expect(asViewer).not.toContain('data-testid="delete-asset"');
    expect(asViewer).toContain('data-testid="read-only"');
  });

  it("edits metadata through the form (typed per field); a bad value shows its field's error; a viewer's post gets 403", async () => {
    const json = (key: string, label: string, type: string, options?: string[]) => ({ key, label, type, ...(options ? { options } : {}) });
    for (const f of [
      json("take", "Take", "number"),
      json("scene", "Scene", "text"),
      json("camera", "Camera", "select", ["A", "B"]),
      json("moods", "Moods", "multiselect", ["calm", "tense", "joy"]),
      json("approved", "Approved", "boolean"),
      json("shot_at", "Shot at", "datetime"),
      json("site", "Website", "url"),
    ]) {
      await expectJson(w.asAdmin("/api/v1/metadata-fields", { method: "POST", json: f }), 201);
    }
    const a = await upload(w, w.p1, "meta-target.mov");
    const path = `/projects/${w.p1}/assets/${a.id}`;
    const editor = await html(page(path, admin));
    expect(editor).toContain('data-testid="metadata-form"');
    expect(editor).toContain('type="datetime-local"');
    expect(editor).toContain('name="metadata.moods" value="tense"');

    const saved = await html(
      form(
        path,
        {
          intent: "metadata",
          "metadata.take": "12",
          "metadata.scene": "渋谷 交差点",
          "metadata.camera": "B",
          "metadata.moods.present": "1",
          "metadata.moods": ["calm", "joy"],
          "metadata.approved.present": "1",
          "metadata.approved": "on",
          "metadata.shot_at": "2026-05-01T10:30",
          "metadata.shot_at.offset": "+09:00",
          "metadata.site": "",
        },
        admin,
      ),
    );
    expect(saved).toContain("Metadata saved.");
    const now = await apiAsset(w, a.id);
    expect(now.metadata).toEqual({ take: 12, scene: "渋谷 交差点", camera: "B", moods: ["calm", "joy"], approved: true, shot_at: "2026-05-01T01:30:00.000Z" });

    const bad = await html(form(path, { intent: "metadata", "metadata.take": "twelve", "metadata.site": "javascript:alert(1)" }, admin));
    expect(bad).toMatch(/data-testid="error-metadata.take">Must be a number\.</);
    expect(bad).toMatch(/data-testid="error-metadata.site">Must be a web address/);
    expect(bad).toContain('value="twelve"');
    expect((await apiAsset(w, a.id)).metadata.take).toBe(12);

    // Japanese messages too.
    const badJa = await html(form(path, { intent: "metadata", "metadata.take": "十二" }, admin, "ja"));
    expect(badJa).toContain("数値を入力してください。");

    // Rename, tags, label.
    await html(form(path, { intent: "rename", name: "Scene 12 take 3.mov" }, admin));
    await html(form(path, { intent: "tag-add", tag: "候補" }, admin));
    await html(form(path, { intent: "label", colorLabel: "red" }, admin));
    const renamed = await apiAsset(w, a.id);
    expect([renamed.name, renamed.tags, renamed.colorLabel]).toEqual(["Scene 12 take 3.mov", ["候補"], "red"]);
    const slash = await html(form(path, { intent: "rename", name: "a/b.mov" }, admin));
    expect(slash).toContain('data-testid="error-name"');

    // A viewer: 403 on every button, nothing changes.
    for (const fields of [{ intent: "metadata", "metadata.take": "1" }, { intent: "rename", name: "x.mov" }, { intent: "delete" }] as Fields[]) {
      expect((await form(path, fields, viewer)).status, String(fields.intent)).toBe(403);
    }
    expect((await apiAsset(w, a.id)).metadata.take).toBe(12);

    // Delete sends back to the asset's folder.
    const del = await form(path, { intent: "delete" }, admin);
    expect(del.status).toBe(302);
    expect(del.headers.get("Location")).toBe(`/projects/${w.p1}`);
    expect((await page(path, admin)).status).toBe(404);
  });

  it("a file the readers cannot read shows its problem in the reader's language, not an English sentence", async () => {
    const asset = await upload(w, w.p1, "謎のファイル.mov");
    const body = await apiAsset(w, asset.id);
    expect((body as unknown as { problemCode: string }).problemCode).toBe("unknown_format");
    const cookie = await browserCookie(w.users.tenantAdmin);
    const ja = await html(page(`/projects/${w.p1}/assets/${asset.id}`, `${cookie}; kura_locale=ja`, "ja"));
    expect(ja).toContain('data-problem-code="unknown_format"');
    expect(ja).toContain("ファイル形式を認識できません");
    const en = await html(page(`/projects/${w.p1}/assets/${asset.id}`, `${cookie}; kura_locale=en`, "en"));
    expect(en).toContain("The file&#x27;s format is not recognised");
  });

  it("an asset is only reachable under its own project", async () => {
    const a = await upload(w, w.p1, "p1-only.mov");
    expect((await page(`/projects/${w.p2}/assets/${a.id}`, admin)).status).toBe(404);
  });
});

describe("metadata fields and usage (tenant admins)", () => {
  it("creates, edits and deletes fields; refuses duplicates and bad keys; others get 403", async () => {
    const created = await html(
      form("/admin/metadata-fields", { intent: "create", key: "location_name", label: "ロケ地", type: "select", options: "渋谷\n新宿\n" }, admin),
    );
    expect(created).toContain("Field “ロケ地” created.");
    const fieldId = /name="fieldId" value="([^"]+)"/.exec(created.slice(created.indexOf('data-key="location_name"')))![1]!;
    const dup = await html(form("/admin/metadata-fields", { intent: "create", key: "location_name", label: "Again", type: "text" }, admin));
    expect(dup).toContain("A field with this key already exists.");
    const badKey = await html(form("/admin/metadata-fields", { intent: "create", key: "Bad Key", label: "X", type: "text" }, admin));
    expect(badKey).toContain('data-testid="error-key"');
    const noOptions = await html(form("/admin/metadata-fields", { intent: "create", key: "empty_select", label: "X", type: "select", options: "" }, admin));
    expect(noOptions).toContain("A select field needs at least one option.");
    await html(form("/admin/metadata-fields", { intent: "update", fieldId, label: "Location", options: "渋谷\n新宿\n池袋", takesOptions: "yes" }, admin));
    const list = await expectJson<{ items: { key: string; label: string; options: string[] | null }[] }>(w.asAdmin("/api/v1/metadata-fields"), 200);
    expect(list.items.find((f) => f.key === "location_name")).toMatchObject({ label: "Location", options: ["渋谷", "新宿", "池袋"] });
    const deleted = await html(form("/admin/metadata-fields", { intent: "delete", fieldId }, admin));
    expect(deleted).toContain("Field deleted.");
    expect((await page("/admin/metadata-fields", member)).status).toBe(403);
    expect((await form("/admin/metadata-fields", { intent: "create", key: "sneaky", label: "X", type: "text" }, member)).status).toBe(403);
  });

  it("the admin overview shows usage against the quota, per project, and the 30-day chart", async () => {
    await upload(w, w.p1, "usage.mov", { bytes: 5000 });
    const body = await html(page("/admin", admin, "ja"));
    expect(body).toContain('data-testid="usage"');
    expect(body).toContain('role="meter"');
    expect(body).toContain('<title id="usage-chart-title">日ごとのストレージ使用量</title>');
    expect(body).toContain('data-name="P1 渋谷ロケ"');
    expect(body).toContain('href="/admin/metadata-fields"');
    expect((await page("/admin", viewer)).status).toBe(403);
  });
});
